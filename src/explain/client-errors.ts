// Client-side error messages (Node/OpenSSL, mail libraries, mail clients, Outlook error numbers) mapped to the
// finding a live check reports for the same situation. Each entry names where the message comes from.

export interface ClientErrorEntry {
  id: string;
  re: RegExp;
  finding: string;
  meaning: string;
  source: string;
  confidence: 'certain' | 'likely' | 'possible';
}

const NODE_ERRORS = 'Node.js errors (https://nodejs.org/api/errors.html#common-system-errors)';
const OPENSSL = 'OpenSSL ssl/record error strings (SSL_R_WRONG_VERSION_NUMBER etc.)';
const NODEMAILER = 'Nodemailer lib/smtp-connection (error texts "Greeting never received", "Connection timeout")';
const MIMEOLE = 'Windows SDK mimeole.h, IXP_E_* constants (Outlook / Outlook Express error numbers)';

export const CLIENT_ERRORS: ClientErrorEntry[] = [
  // TLS mode mismatches first: they explain the errors below them.
  { id: 'openssl-wrong-version', re: /wrong version number|ssl3_get_record|SSL routines:[^\n]*(packet length too long|unknown protocol)|EPROTO[^\n]*ssl/i, finding: 'tls.mode-mismatch.implicit-on-starttls-port', meaning: 'The client started TLS at once but the server answered in plaintext: SSL/TLS is configured on a STARTTLS (or plaintext) port.', source: OPENSSL, confidence: 'likely' },
  { id: 'nodemailer-greeting', re: /greeting never received|ETIMEDOUT[^\n]*greeting|timed out waiting for (the )?(server )?greeting|no greeting/i, finding: 'tls.mode-mismatch.starttls-on-implicit-port', meaning: 'The client waited for a plaintext greeting that never came; on port 465 the server expects TLS first.', source: NODEMAILER, confidence: 'likely' },
  { id: 'cert-self-signed', re: /self[- ]signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN/i, finding: 'tls.certificate-self-signed', meaning: 'The server presented a self-signed certificate.', source: NODE_ERRORS, confidence: 'certain' },
  { id: 'cert-expired', re: /certificate has expired|CERT_HAS_EXPIRED/i, finding: 'tls.certificate-expired', meaning: 'The server\'s certificate has expired.', source: NODE_ERRORS, confidence: 'certain' },
  { id: 'cert-altname', re: /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate'?s altnames|hostname\/ip does not match|certificate (name|host ?name) (does not match|mismatch)/i, finding: 'tls.hostname-mismatch', meaning: 'The certificate is not valid for the host name the client used.', source: NODE_ERRORS, confidence: 'certain' },
  { id: 'cert-untrusted', re: /unable to (verify the first certificate|get (local )?issuer certificate)|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|certificate (is )?not trusted|untrusted certificate/i, finding: 'tls.certificate-untrusted', meaning: 'The certificate chain does not lead to a trusted root (a missing intermediate, or an interception proxy).', source: NODE_ERRORS, confidence: 'likely' },
  { id: 'tls-version', re: /unsupported protocol|no protocols available|tlsv1 alert protocol version|ERR_SSL_UNSUPPORTED_PROTOCOL/i, finding: 'tls.protocol-version-mismatch', meaning: 'Client and server have no TLS version in common.', source: OPENSSL, confidence: 'likely' },
  { id: 'tls-handshake', re: /handshake failure|sslv3 alert|Client network socket disconnected before secure TLS connection/i, finding: 'tls.handshake-failed', meaning: 'The TLS handshake failed.', source: OPENSSL, confidence: 'possible' },
  { id: 'starttls-missing', re: /STARTTLS (is )?not (supported|offered|available)|server does not support STARTTLS/i, finding: 'tls.starttls-not-offered', meaning: 'The client requires STARTTLS but the server did not offer it.', source: NODEMAILER, confidence: 'likely' },
  { id: 'enotfound', re: /ENOTFOUND|getaddrinfo \w*NOTFOUND|could not resolve host|Name or service not known|nodename nor servname|host not found/i, finding: 'resolve.nxdomain', meaning: 'The SMTP host name does not resolve.', source: NODE_ERRORS, confidence: 'likely' },
  { id: 'eai-again', re: /EAI_AGAIN|Temporary failure in name resolution/i, finding: 'resolve.timeout', meaning: 'DNS did not answer.', source: NODE_ERRORS, confidence: 'likely' },
  { id: 'econnrefused', re: /ECONNREFUSED|connection refused/i, finding: 'port.refused', meaning: 'Nothing listens on that port, or a firewall rejects the connection.', source: NODE_ERRORS, confidence: 'certain' },
  { id: 'etimedout', re: /ETIMEDOUT|ESOCKETTIMEDOUT|connect(ion)? timed? ?out|Connection timeout/i, finding: 'port.filtered', meaning: 'No answer to the connection attempt: a firewall drops the packets (often an ISP blocking the port).', source: NODE_ERRORS, confidence: 'likely' },
  { id: 'eunreach', re: /EHOSTUNREACH|ENETUNREACH|No route to host|Network is unreachable/i, finding: 'port.unreachable', meaning: 'A router answered that the server is unreachable.', source: NODE_ERRORS, confidence: 'certain' },
  { id: 'econnreset', re: /ECONNRESET|connection reset by peer|socket hang up|Connection closed unexpectedly|unexpected (socket )?close/i, finding: 'connect.closed-on-connect', meaning: 'The connection was closed or reset by the other side or something in between.', source: NODE_ERRORS, confidence: 'possible' },
  { id: 'no-auth-mech', re: /no (supported|suitable) authentication (method|mechanism)|none of the authentication methods/i, finding: 'auth.no-common-mechanism', meaning: 'Client and server have no authentication method in common.', source: NODEMAILER, confidence: 'likely' },
  { id: 'eauth', re: /\bEAUTH\b|Invalid login|authentication (failed|unsuccessful)|Username and Password not accepted|login failed|wrong password/i, finding: 'auth.credentials-rejected', meaning: 'The server refused the user name or password.', source: NODEMAILER, confidence: 'likely' },
];

/** Outlook / Windows Mail error numbers (IXP_E_*): the number alone says which step failed. */
export const OUTLOOK_ERRORS: Record<string, { name: string; finding: string; meaning: string }> = {
  '0x800CCC0B': { name: 'IXP_E_BUSY', finding: 'envelope.rate-limited', meaning: 'The server is busy.' },
  '0x800CCC0D': { name: 'IXP_E_CANT_FIND_HOST', finding: 'resolve.nxdomain', meaning: 'The server name could not be found.' },
  '0x800CCC0E': { name: 'IXP_E_FAILED_TO_CONNECT', finding: 'port.refused', meaning: 'The connection to the server failed.' },
  '0x800CCC0F': { name: 'IXP_E_CONNECTION_DROPPED', finding: 'connect.closed-on-connect', meaning: 'The connection was interrupted (often security software or a wrong SSL/TLS setting).' },
  '0x800CCC13': { name: 'IXP_E_SOCKET_WRITE_ERROR', finding: 'connect.closed-on-connect', meaning: 'Writing to the network failed.' },
  '0x800CCC15': { name: 'IXP_E_SOCKET_CONNECT_ERROR', finding: 'port.refused', meaning: 'The socket could not connect.' },
  '0x800CCC18': { name: 'IXP_E_SICILY_LOGON_FAILED', finding: 'auth.credentials-rejected', meaning: 'Secure Password Authentication (SPA) failed.' },
  '0x800CCC19': { name: 'IXP_E_TIMEOUT', finding: 'port.filtered', meaning: 'The operation timed out.' },
  '0x800CCC1A': { name: 'IXP_E_SECURE_CONNECT_FAILED', finding: 'tls.handshake-failed', meaning: 'The secure (SSL/TLS) connection failed: often the wrong encryption type for the port.' },
  '0x800CCC60': { name: 'IXP_E_SMTP_RESPONSE_ERROR', finding: 'smtp.not-smtp', meaning: 'The server\'s reply was not understood.' },
  '0x800CCC62': { name: 'IXP_E_SMTP_500_SYNTAX_ERROR', finding: 'delivery.syntax-error', meaning: 'The server did not understand a command.' },
  '0x800CCC63': { name: 'IXP_E_SMTP_501_PARAM_SYNTAX', finding: 'delivery.syntax-error', meaning: 'The server refused a parameter.' },
  '0x800CCC67': { name: 'IXP_E_SMTP_421_NOT_AVAILABLE', finding: 'envelope.rate-limited', meaning: 'The server answered 421: service not available (often a port blocked or a sending limit).' },
  '0x800CCC69': { name: 'IXP_E_SMTP_550_MAILBOX_NOT_FOUND', finding: 'envelope.recipient-rejected', meaning: 'The server refused the mailbox (550).' },
  '0x800CCC6A': { name: 'IXP_E_SMTP_451_ERROR_PROCESSING', finding: 'delivery.remote-error', meaning: 'The server had a local error processing the message (451); often outgoing mail scanning by security software.' },
  '0x800CCC6D': { name: 'IXP_E_SMTP_552_STORAGE_OVERFLOW', finding: 'delivery.message-too-large', meaning: 'The message exceeded the server\'s storage allocation (552).' },
  '0x800CCC6F': { name: 'IXP_E_SMTP_554_TRANSACT_FAILED', finding: 'envelope.policy-rejected', meaning: 'The server refused the transaction (554).' },
  '0x800CCC78': { name: 'IXP_E_SMTP_REJECTED_SENDER', finding: 'envelope.sender-rejected', meaning: 'The server refused the sender address (often: log in to the outgoing server first).' },
  '0x800CCC79': { name: 'IXP_E_SMTP_REJECTED_RECIPIENTS', finding: 'envelope.relay-denied', meaning: 'The server refused the recipients: it does not relay for you (turn on "My outgoing server requires authentication").' },
  '0x800CCC68': { name: 'IXP_E_SMTP_450_MAILBOX_BUSY', finding: 'envelope.rate-limited', meaning: 'The server answered 450: mailbox unavailable or busy, try later.' },
  '0x800CCC6B': { name: 'IXP_E_SMTP_551_USER_NOT_LOCAL', finding: 'envelope.relay-denied', meaning: 'The server answered 551: the user is not local (it will not relay).' },
  '0x800CCC6C': { name: 'IXP_E_SMTP_452_NO_SYSTEM_STORAGE', finding: 'delivery.remote-error', meaning: 'The server answered 452: insufficient system storage.' },
  '0x800CCC6E': { name: 'IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX', finding: 'envelope.recipient-rejected', meaning: 'The server answered 553: mailbox name not allowed.' },
  '0x800CCC7C': { name: 'IXP_E_SMTP_530_STARTTLS_REQUIRED', finding: 'tls.required', meaning: 'The server requires STARTTLS before anything else.' },
  '0x800CCC7D': { name: 'IXP_E_SMTP_NO_STARTTLS_SUPPORT', finding: 'tls.starttls-not-offered', meaning: 'The server does not support STARTTLS.' },
  '0x800CCC7F': { name: 'IXP_E_SMTP_454_STARTTLS_FAILED', finding: 'tls.starttls-refused', meaning: 'The server answered 454 to STARTTLS: TLS not available.' },
  // Not an IXP_E constant: the number Outlook shows with "None of the authentication methods supported by this
  // client are supported by your server" (Microsoft support articles on Outlook send/receive errors).
  '0x800CCC80': { name: 'Outlook: no common authentication method', finding: 'auth.no-common-mechanism', meaning: 'None of the client\'s authentication methods is supported by the server.' },
  // Outlook 2007+ (not in mimeole.h): "cannot connect to your outgoing (SMTP) e-mail server" / "operation timed out".
  '0x80042109': { name: 'Outlook: cannot connect to the outgoing (SMTP) server', finding: 'port.refused', meaning: 'Outlook could not connect to the outgoing server.' },
  '0x8004210B': { name: 'Outlook: the operation timed out', finding: 'port.filtered', meaning: 'The connection to the outgoing server timed out.' },
};
export const OUTLOOK_SOURCE = MIMEOLE;
