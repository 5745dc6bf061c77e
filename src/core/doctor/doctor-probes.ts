import type { Probe } from './doctor-context'
import { dnsProbe, tcpProbe, tlsProbe } from './network-probes'

/** The doctor's probes in the order they run: each may use what the ones before it found. */
export const doctorProbes: readonly Probe[] = [dnsProbe, tcpProbe, tlsProbe]
