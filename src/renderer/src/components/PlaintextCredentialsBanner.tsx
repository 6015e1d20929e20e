import { useState } from 'react'
import { useCall } from '../hooks/useCall'

/** `auth-token-lab.json` → `--weka-profile lab`; the default file needs no flag. */
function importCommand(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? ''
  const profile = /^auth-token-(.+)\.json$/.exec(name)?.[1]
  return `tokendeck import weka-cli${profile ? ` --weka-profile ${profile}` : ''} --cluster <name> --delete-plaintext`
}

/**
 * Sessions a vendor CLI left in plaintext in the home directory (`weka user login` writes a
 * refresh token to ~/.weka/auth-token*.json): what the risk is and the command that moves each
 * into the keychain. Only the paths reach this page, never a file's content. Dismissed for this
 * window only: the files are still there next time.
 */
export function PlaintextCredentialsBanner() {
  // A banner that cannot look is no banner (its error is not shown); nothing else depends on it.
  const files = useCall('app:plaintextCredentials', undefined).data?.files ?? []
  const [dismissed, setDismissed] = useState(false)
  if (dismissed || files.length === 0) return null
  return (
    <div className="banners">
      <section className="banner" role="alert" aria-label="Plaintext sessions of the weka CLI">
        <strong>
          {files.length === 1
            ? 'The weka CLI left a session in a plaintext file'
            : `The weka CLI left sessions in ${files.length} plaintext files`}
        </strong>
        <p>
          Anyone who can read these files can use the refresh token in them to act as you on the
          cluster, for weeks. Move each into the keychain (it is proved with one refresh, then the
          file is deleted if you agree):
        </p>
        <ul className="plaintext-files">
          {files.map((f) => (
            <li key={f}>
              <span className="mono">{f}</span>
              <br />
              <code className="mono">{importCommand(f)}</code>
            </li>
          ))}
        </ul>
        <div className="row">
          <button type="button" onClick={() => setDismissed(true)}>
            Not now
          </button>
        </div>
      </section>
    </div>
  )
}
