/**
 * The renderer's Content-Security-Policy: only the app's own scripts and styles, no inline
 * script, no remote origin, no network at all from the page (everything goes through main).
 * Served as a header by the app protocol and as a <meta> by the built index.html.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ')
