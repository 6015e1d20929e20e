export declare function electronPackageDir(env?: NodeJS.ProcessEnv): string
export declare function findElectronBinary(
  electronDir?: string,
  env?: NodeJS.ProcessEnv,
): { path?: string; reason?: string }
