// Pure: the OCPP 1.6 security whitepaper's commands (as cpms's protocol-neutral commands are named) sent
// to an OCPP 2.0.1 station, and its answers read back as the 1.6 answers (issue 13; 2.0.1 A01-A03, L01,
// M03-M05, N01). Spread into ocpp/v201/commands.ts's table.
import { Conflict } from '../shared/errors.ts';
import { evseConnectorOneOf } from '../chargers/evse-address.ts';

type Payload = Record<string, unknown>;
type Status = { status: string };
/** The same shape as Translated in ocpp/v201/commands.ts (not imported: ocpp/ imports this file). */
interface Translation {
  action: string;
  payload: unknown;
  answer(response: unknown): unknown;
}

const same = (r: unknown) => r;
const statusOnly = (r: unknown) => ({ status: (r as Status).status });

// 1.6 security CertificateUseEnumType → 2.0.1 (M03/M05): the CSMS root is named differently.
const CERTIFICATE_USE: Record<string, string> = { CentralSystemRootCertificate: 'CSMSRootCertificate', ManufacturerRootCertificate: 'ManufacturerRootCertificate' };
const useOf = (v: unknown): string => {
  const use = CERTIFICATE_USE[v as string];
  if (!use) throw new Conflict(`certificateType ${String(v)} has no OCPP 2.0.1 counterpart`);
  return use;
};

// 1.6 security ExtendedTriggerMessage → 2.0.1 TriggerMessage (F06): only the certificate request is renamed.
const TRIGGER: Record<string, string> = { SignChargePointCertificate: 'SignChargingStationCertificate' };

// OCPP 2.0.1 A01: the Basic-auth password is the variable SecurityCtrlr.BasicAuthPassword (the 1.6 AuthorizationKey).
const BASIC_AUTH_PASSWORD = { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } };
// SetVariables attributeStatus → 1.6 ConfigurationStatus.
const SET_VARIABLE_STATUS: Record<string, string> = { Accepted: 'Accepted', RebootRequired: 'RebootRequired', Rejected: 'Rejected' };

type Translate = (p: Payload) => Translation;

/** Per 1.6 command, its 2.0.1 CALL. */
export const SECURITY_TRANSLATIONS: Record<string, Translate> = {
  // A02/A03: the certificate the operator CA signed for the station's own CSR.
  CertificateSigned: (p) => ({ action: 'CertificateSigned', payload: { certificateChain: p.certificateChain, certificateType: 'ChargingStationCertificate' }, answer: statusOnly }),
  InstallCertificate: (p) => ({ action: 'InstallCertificate', payload: { certificateType: useOf(p.certificateType), certificate: p.certificate }, answer: statusOnly }),
  // M04: certificateHashData has the same fields in both versions.
  DeleteCertificate: (p) => ({ action: 'DeleteCertificate', payload: { certificateHashData: p.certificateHashData }, answer: statusOnly }),
  GetInstalledCertificateIds: (p) => ({
    action: 'GetInstalledCertificateIds',
    payload: { certificateType: [useOf(p.certificateType)] },
    answer: (r) => {
      const { status, certificateHashDataChain } = r as { status: string; certificateHashDataChain?: Array<{ certificateHashData: unknown }> };
      return { status, ...(certificateHashDataChain ? { certificateHashData: certificateHashDataChain.map((c) => c.certificateHashData) } : {}) };
    },
  }),
  ExtendedTriggerMessage: (p) => ({
    action: 'TriggerMessage',
    payload: { requestedMessage: TRIGGER[p.requestedMessage as string] ?? p.requestedMessage, ...(p.connectorId ? { evse: { id: evseConnectorOneOf(p.connectorId as number) } } : {}) },
    answer: statusOnly,
  }),
  // L01: 2.0.1 UpdateFirmware carries the signed firmware as 1.6 SignedUpdateFirmware does, field for field.
  SignedUpdateFirmware: (p) => ({ action: 'UpdateFirmware', payload: p, answer: statusOnly }),
  // L01 without a signature: 2.0.1 UpdateFirmware needs a requestId (a firmware campaign gives its id; the 1.6
  // payload has no place for one) and the location and retrieveDate in a firmware object.
  UpdateFirmware: (p) => {
    if (!Number.isInteger(p.requestId)) throw new Conflict('UpdateFirmware to an OCPP 2.0.1 station needs a requestId: send it through a firmware campaign');
    const retry = { ...(p.retries !== undefined ? { retries: p.retries } : {}), ...(p.retryInterval !== undefined ? { retryInterval: p.retryInterval } : {}) };
    return { action: 'UpdateFirmware', payload: { requestId: p.requestId, firmware: { location: p.location, retrieveDateTime: p.retrieveDate }, ...retry }, answer: statusOnly };
  },
  // N01: GetLog is the same message in both versions.
  GetLog: (p) => ({ action: 'GetLog', payload: p, answer: same }),
  // A05: no 1.6 counterpart (1.6 sets the SecurityProfile key); sent only by ChargerSecurityService to a 2.0.1 station.
  SetNetworkProfile: (p) => ({ action: 'SetNetworkProfile', payload: p, answer: same }),
  ChangeConfiguration: (p) => {
    if (p.key !== 'AuthorizationKey') throw new Conflict(`ChangeConfiguration ${String(p.key)} is not supported for OCPP 2.0.1 chargers yet (only AuthorizationKey; raising the security profile needs SetNetworkProfile)`);
    return {
      action: 'SetVariables',
      payload: { setVariableData: [{ ...BASIC_AUTH_PASSWORD, attributeValue: p.value }] },
      answer: (r) => ({ status: SET_VARIABLE_STATUS[(r as { setVariableResult: Array<{ attributeStatus: string }> }).setVariableResult[0]?.attributeStatus] ?? 'NotSupported' }),
    };
  },
};
