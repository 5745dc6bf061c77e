import { Writable } from 'node:stream'
import type { LogSink } from '../logs/log-event'
import { redactText } from '../logs/redaction'
import type { SecretValues } from '../logs/secret-values'
import type { TokenSource } from './token-source'

/**
 * A proxy holds secrets in memory only (the bearer token the hub gave it, the values of the
 * server's configured headers). A server may echo any of them in an error text, which the proxy
 * then writes to stderr (the client's log files) and to its log events: these wrappers remember
 * each secret as it arrives and mask it, by value, in everything the proxy emits.
 */

/** The tokens `source` hands out, remembered in `secrets` as they arrive. */
export function rememberingTokens(source: TokenSource, secrets: SecretValues): TokenSource {
  const remember = (token: string | undefined): string | undefined => {
    secrets.add(token)
    return token
  }
  return {
    getToken: async () => remember(await source.getToken()),
    refresh: async (stale, challenge) => remember(await source.refresh(stale, challenge)),
    stepUp: async (stale, challenge) => remember(await source.stepUp(stale, challenge)),
    ...(source.close ? { close: () => source.close?.() } : {}),
  }
}

/** Log events with every held secret masked in their preview, then passed to `sink`. */
export function scrubbingSink(sink: LogSink, secrets: SecretValues): LogSink {
  return {
    write: (event) => sink.write(event.preview === undefined ? event : { ...event, preview: secrets.mask(event.preview) }),
    ...(sink.close ? { close: () => sink.close?.() ?? Promise.resolve() } : {}),
  }
}

/** Diagnostics (whole lines) made safe to show and masked of every held secret, then written to `stream`. */
export function scrubbingDiagnostics(stream: NodeJS.WritableStream, secrets: SecretValues): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      stream.write(redactText(chunk.toString(), secrets))
      done()
    },
  })
}
