/**
 * The `electron` module at the glue boundary: its binary cannot be installed on the build
 * machines, so tests that load src/main see this stand-in. Only what the glue touches is here.
 */
export const app = {
  getPath: (_name: string): string => process.env.MCP_TRAY_HOME ?? process.cwd(),
  getVersion: (): string => '0.0.0-test',
  isPackaged: false,
}

export const safeStorage = {
  isEncryptionAvailable: (): boolean => true,
  getSelectedStorageBackend: (): string => 'gnome_libsecret',
  encryptString: (plain: string): Buffer => Buffer.from(plain, 'utf8').reverse(),
  decryptString: (cipher: Buffer): string => Buffer.from(cipher).reverse().toString('utf8'),
}

export const shell = {
  openExternal: async (_url: string): Promise<void> => {},
}

export default { app, safeStorage, shell }
