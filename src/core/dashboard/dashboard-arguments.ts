import { z } from 'zod'
import { clientIds } from '../../shared/client-ids'
import { TrayError } from '../../shared/tray-error'

/**
 * The dashboard's arguments come from a page (or, headless, from any holder of the access token):
 * each is checked here, once for every bridge, before it reaches a use case.
 */
const name = z.string().min(1).max(64)
const url = z.string().min(1).max(2048)
const text = z.string().max(4096)
const headers = z.record(z.string().min(1).max(256), z.string().max(8192))
const redirect = z.object({
  host: z.enum(['127.0.0.1', 'localhost', '[::1]']),
  port: z.number().int().min(0).max(65535).optional(),
  path: z.string().regex(/^\/[\x21-\x7e]{0,255}$/).optional(),
})
const timeoutMs = z.number().int().min(100).max(24 * 60 * 60_000)
const clientId = z.enum(clientIds)

export const addServerArgument = z.object({
  url,
  name: name.optional(),
  timeoutMs: timeoutMs.optional(),
  scope: text.optional(),
  clientId: text.optional(),
  clientSecret: text.optional(),
  headers: headers.optional(),
  redirect: redirect.optional(),
})

export const connectArgument = addServerArgument.partial().extend({
  clients: z.array(clientId).max(clientIds.length).optional(),
  restartClient: z.boolean().optional(),
  runId: z.string().min(1).max(100).optional(),
})

export const serverOptionsChangeArgument = z.object({
  timeoutMs: timeoutMs.nullable().optional(),
  scope: text.nullable().optional(),
  clientId: text.nullable().optional(),
  clientSecret: text.nullable().optional(),
  headers: headers.optional(),
  redirect: redirect.nullable().optional(),
  audience: text.nullable().optional(),
})

const isoTime = z.string().max(40)
export const logQueryArgument = z.object({
  server: name.optional(),
  method: z.string().max(200).optional(),
  tool: z.string().max(200).optional(),
  direction: z.enum(['to-server', 'to-client']).optional(),
  errorsOnly: z.boolean().optional(),
  outcomes: z.array(z.string().max(20)).max(20).optional(),
  text: z.string().max(500).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  // Not always whole: lines a proxy wrote while no hub ran sort between the hub's (log-file-search.ts).
  beforeSeq: z.number().nonnegative().optional(),
  limit: z.number().int().min(1).optional(),
})

export const diagnosticsQueryArgument = z.object({
  server: name,
  windowMs: z.number().int().min(60_000).max(7 * 24 * 60 * 60_000).optional(),
  bucketMs: z.number().int().min(1_000).max(24 * 60 * 60_000).optional(),
})

export const doctorRequestArgument = z.object({
  target: url,
  runId: z.string().min(1).max(100).optional(),
  callTool: z.string().min(1).max(200).optional(),
})

export const settingsChangeArgument = z
  .object({
    callbackPort: z.number().int().min(0).max(65535),
    signInTimeoutMs: z.number().int().min(10_000).max(60 * 60_000),
    defaultTimeoutMs: timeoutMs,
    enabledClients: z.array(clientId).max(clientIds.length),
    startAtLogin: z.boolean().nullable(),
    clientMetadataUrl: url.nullable(),
    dashboardPort: z.number().int().min(0).max(65535),
    idleStopMinutes: z.number().min(0.1).max(24 * 60),
    proxyUrl: url.nullable(),
    trustSystemCertificates: z.boolean(),
    maxMessageBytes: z.number().int().min(1024 * 1024).max(1024 * 1024 * 1024),
  })
  .partial()
  .strict()

export const serverName = name
export const clientArgument = clientId
export const urlArgument = url

/** Checks one argument; a bad one is a `dashboard_bad_request` (HTTP 400) naming what was wrong. */
export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : ''
  throw new TrayError('dashboard_bad_request', `The ${what} is not valid${where}: ${issue?.message ?? 'unknown problem'}.`, {
    hint: 'Correct it and try again; if the dashboard sent it by itself, reload the page.',
  })
}
