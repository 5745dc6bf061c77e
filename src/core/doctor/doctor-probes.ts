import type { Probe } from './doctor-context'
import { authorizationServerProbe, protectedResourceProbe } from './discovery-probes'
import { endpointProbe } from './endpoint-probe'
import { dnsProbe, tcpProbe, tlsProbe } from './network-probes'
import { proxyProbe } from './proxy-probe'
import { authorizationRequestProbe, registrationProbe } from './registration-probes'
import { getStreamProbe, initializeProbe, tokenProbe, toolCallProbe, toolsListProbe } from './session-probes'

/** The doctor's probes in the order they run: each may use what the ones before it found. */
export const doctorProbes: readonly Probe[] = [
  dnsProbe,
  tcpProbe,
  tlsProbe,
  proxyProbe,
  endpointProbe,
  protectedResourceProbe,
  authorizationServerProbe,
  registrationProbe,
  authorizationRequestProbe,
  tokenProbe,
  initializeProbe,
  toolsListProbe,
  getStreamProbe,
  toolCallProbe,
]
