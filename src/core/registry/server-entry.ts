import { z } from 'zod'
import { clientIds } from '../../shared/client-ids'

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
  /** Where the browser comes back after sign-in (RFC 8252 §7.3); absent: http://127.0.0.1:<callback port>/oauth/callback. */
  redirect: z
    .object({
      host: z.enum(['127.0.0.1', 'localhost', '[::1]']),
      /** 0 or absent: the app's callback port. */
      port: z.number().int().min(0).max(65535).optional(),
      path: z.string().regex(/^\/[^?#\s]*$/).optional(),
    })
    .optional(),
  /** An `audience` parameter for the authorization request, which some servers need to issue a token for the API (Auth0). */
  audience: z.string().min(1).optional(),
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
  /** How long a proxy waits for an answer when its server has no timeout of its own. */
  defaultTimeoutMs: z.number().int().positive().max(24 * 60 * 60_000).default(60_000),
  /** Clients Connect installs into besides Claude Desktop. */
  enabledClients: z.array(z.enum(clientIds)).default([]),
  /** The headless dashboard's loopback port: fixed, so that its address can be bookmarked. */
  dashboardPort: z.number().int().min(0).max(65535).default(3335),
  /** A hub a proxy started stops after this many minutes with nothing needing it (fractions allowed). */
  idleStopMinutes: z.number().positive().max(24 * 60).default(5),
  /** An HTTP(S) proxy for every outgoing request, for clients that do not pass HTTPS_PROXY. */
  proxyUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Trust the operating system's certificate store as well as Node's. */
  trustSystemCertificates: z.boolean().default(true),
  /** Largest single message accepted from a server or a client. */
  maxMessageBytes: z.number().int().min(1024 * 1024).max(1024 * 1024 * 1024).default(32 * 1024 * 1024),
  /** At most one notification per server and cause this often, in minutes (0: every one). */
  notificationMinutes: z.number().min(0).max(24 * 60).default(5),
})
export type Settings = z.infer<typeof settingsSchema>
