import { z } from 'zod'

/**
 * One remote MCP server as the person added it. Secrets live in the vault, not here: its client
 * secret and the values of its extra headers (often `Authorization: Bearer …`).
 */
export const serverEntrySchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  url: z.url({ protocol: /^https?$/ }),
  /** Names of the extra HTTP headers sent with every request; their values are in the vault. */
  headerNames: z.array(z.string().min(1)).optional(),
  clientId: z.string().min(1).optional(),
  scope: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().optional(),
})
export type ServerEntry = z.infer<typeof serverEntrySchema>

export const settingsSchema = z.object({
  /** First port tried for the OAuth loopback callback (RFC 8252 §7.3). */
  callbackPort: z.number().int().min(0).max(65535).default(3334),
  /** How long a sign-in waits for the browser to come back. */
  signInTimeoutMs: z.number().int().positive().default(5 * 60_000),
  /**
   * Where MCP Tray's OAuth Client ID Metadata Document is published (an https URL with a path):
   * used as the client id by authorization servers that advertise
   * `client_id_metadata_document_supported`, instead of registering dynamically.
   */
  clientMetadataUrl: z.url({ protocol: /^https$/ }).refine((url) => new URL(url).pathname !== '/', 'needs a path').optional(),
})
export type Settings = z.infer<typeof settingsSchema>
