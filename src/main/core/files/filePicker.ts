/**
 * The port for the desktop's file picker (Electron's dialog in the app, a double in the browser
 * tests). The core asks it for a path; it never reads the file: the path is stored as the
 * cluster's CA file and read when a connection is made, as a typed path is.
 */
export interface FilePicker {
  /** The CA file (PEM) the user chose, or undefined when they cancelled. */
  pickCaFile(): Promise<string | undefined>
  /**
   * Where to save a cluster catalogue ('save', suggesting `defaultName`), or which one to import
   * ('open'); undefined when the user cancelled.
   */
  pickCatalogue(mode: 'open' | 'save', defaultName?: string): Promise<string | undefined>
}
