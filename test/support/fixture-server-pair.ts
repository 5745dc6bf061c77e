import { afterAll, beforeAll } from 'vitest'
import { startRemoteServer, type RemoteServer } from '../fixtures/remote-server'

/** The fixture server twice, shared by the tests of one describe block. */
export interface FixtureServerPair {
  /** Asks for sign-in. */
  readonly server: RemoteServer
  /** Answers without sign-in. */
  readonly open: RemoteServer
  /** Authorization codes `server` has exchanged so far: each finished sign-in adds one. */
  codes(): number
}

/**
 * Starts both servers before the block's tests and closes them after its last. Call inside
 * `describe`; read the fields inside tests, once the servers are up.
 */
export function useFixtureServerPair(): FixtureServerPair {
  let started: [RemoteServer, RemoteServer] | undefined
  beforeAll(async () => {
    started = await Promise.all([startRemoteServer(), startRemoteServer({ authRequired: false })])
  })
  afterAll(async () => {
    await Promise.all((started ?? []).map((server) => server.close()))
  })
  const pair = (): [RemoteServer, RemoteServer] => {
    if (started === undefined) throw new Error('The fixture servers start in beforeAll: read them inside a test.')
    return started
  }
  return {
    get server() {
      return pair()[0]
    },
    get open() {
      return pair()[1]
    },
    codes: () => pair()[0].knobs.tokenRequests('authorization_code').length,
  }
}
