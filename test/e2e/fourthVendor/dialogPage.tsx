/**
 * A page with only the add-cluster dialog, after the fake fourth vendor joined the vendor table
 * (test/support/fakeVendor). Bundled by fourthVendorDialog.test.ts; `window.tokendeck` is the
 * bridge to the real core in the test process.
 */
import { createRoot } from 'react-dom/client'
import { ClusterDialog } from '../../../src/renderer/src/components/ClusterDialog'
import { ToastsProvider } from '../../../src/renderer/src/components/Toasts'
import { registerAcmeVendor } from '../../support/fakeVendor/descriptor'
import '../../../src/renderer/src/styles.css'

registerAcmeVendor()

function Page() {
  return (
    <ToastsProvider>
      <ClusterDialog
        open
        onClose={() => undefined}
        onSaved={(view) => {
          document.body.dataset['saved'] = view.cluster.id
        }}
      />
    </ToastsProvider>
  )
}

createRoot(document.getElementById('root')!).render(<Page />)
