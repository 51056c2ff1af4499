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



/** Where each message text comes from. */
const SOURCES = {
  node_errors: 'Node.js errors (https://nodejs.org/api/errors.html#common-system-errors)',
  openssl: 'OpenSSL ssl/record error strings (SSL_R_WRONG_VERSION_NUMBER etc.)',
  nodemailer: 'Nodemailer lib/smtp-connection (error texts "Greeting never received", "Connection timeout")',
  mimeole: 'Windows SDK mimeole.h, IXP_E_* constants (Outlook / Outlook Express error numbers)',
  javamail: 'Jakarta (Java) Mail / JSSE exception texts (SSLException, SSLHandshakeException, MessagingException)',
  python: 'Python smtplib and ssl exception texts (SMTPNotSupportedError, SMTPServerDisconnected, SSLError)',
  dotnet: '.NET System.Net.Mail / SslStream and MailKit exception texts',
  php: 'PHPMailer, SwiftMailer and Symfony Mailer error texts (stream_socket_client)',
  go: 'Go crypto/tls and crypto/x509 error texts',
  ruby: 'Ruby Net::SMTP / OpenSSL error texts',
  gnutls: 'GnuTLS error strings as msmtp, mutt and other GnuTLS clients print them',
  curl: 'curl error codes (CURLE_*) and messages',
  dialogs: 'Mail client dialogs (Outlook, Windows Mail, Thunderbird, Apple Mail) in English, German, French, Spanish, Italian, Dutch and Portuguese',
} as const;

/** Tried in order on each line; the first match wins, so specific texts come before the generic ones that they
 * contain ("self-signed certificate in certificate chain" before "self-signed certificate"). */
export const CLIENT_ERRORS: ClientErrorEntry[] = [
  // TLS mode mismatches first: they explain the errors below them.
  { id: 'openssl-wrong-version', re: /wrong version number|ssl3_get_record|SSL routines:[^\n]*(packet length too long|unknown protocol)|EPROTO[^\n]*ssl/i, finding: 'tls.mode-mismatch.implicit-on-starttls-port', meaning: 'The client started TLS at once but the server answered in plaintext: SSL/TLS is configured on a STARTTLS (or plaintext) port.', source: SOURCES.openssl, confidence: 'likely' },
  { id: 'java-plaintext-connection', re: /Unrecognized SSL message, plaintext connection/i, finding: 'tls.mode-mismatch.implicit-on-starttls-port', meaning: 'Java started TLS at once and got a plaintext greeting back: SSL is on for a STARTTLS (or plaintext) port.', source: SOURCES.javamail, confidence: 'likely' },
  { id: 'go-not-tls', re: /first record does not look like a TLS handshake/i, finding: 'tls.mode-mismatch.implicit-on-starttls-port', meaning: 'Go started TLS at once and the server answered in plaintext: implicit TLS on a STARTTLS (or plaintext) port.', source: SOURCES.go, confidence: 'likely' },
  { id: 'gnutls-unexpected-packet', re: /unexpected TLS packet was received|GNUTLS_E_UNEXPECTED_PACKET\b/i, finding: 'tls.mode-mismatch.implicit-on-starttls-port', meaning: 'The GnuTLS client started TLS at once and got plaintext back (msmtp: tls_starttls off on a STARTTLS port).', source: SOURCES.gnutls, confidence: 'likely' },
  { id: 'dotnet-unexpected-packet', re: /unexpected packet format|invalid header type: 50\b|Error_Packet_Parsing/i, finding: 'tls.mode-mismatch.implicit-on-starttls-port', meaning: 'The client started TLS at once and received the server\'s plaintext "220" greeting: SSL/TLS on a STARTTLS port.', source: SOURCES.dotnet, confidence: 'likely' },
  { id: 'outlook-encryption-type', re: /does not support the connection encryption type|unterstützt den angegebenen Verschlüsselungstyp nicht|ne prend pas en charge le type de chiffrement|no admite el tipo de cifrado|non supporta il tipo di crittografia/i, finding: 'tls.mode-mismatch.implicit-on-starttls-port', meaning: 'Outlook\'s encryption type does not match the port: most often SSL/TLS chosen for port 587 or 25, which speak STARTTLS.', source: SOURCES.dialogs, confidence: 'possible' },
  { id: 'java-no-greeting-465', re: /Could not connect to SMTP host[^\n]*port: 465, response: -1/i, finding: 'tls.mode-mismatch.starttls-on-implicit-port', meaning: 'Java connected to port 465 in plaintext and never got a greeting (-1): that port expects TLS from the start (mail.smtp.ssl.enable).', source: SOURCES.javamail, confidence: 'likely' },
  { id: 'read-timeout', re: /SocketTimeoutException: Read timed out|Net::ReadTimeout|\bRead timed out\b/i, finding: 'smtp.greeting-timeout', meaning: 'The connection opened but the server sent nothing in time: a TLS mode mismatch (plaintext to a TLS port) or a filter that holds the connection.', source: `${SOURCES.javamail}; ${SOURCES.ruby}`, confidence: 'possible' },
  { id: 'java-response-minus-one', re: /Could not connect to SMTP host[^\n]*response: -1/i, finding: 'connect.closed-on-connect', meaning: 'The server closed the connection before any greeting (-1).', source: SOURCES.javamail, confidence: 'possible' },
  { id: 'nodemailer-greeting', re: /greeting never received|ETIMEDOUT[^\n]*greeting|timed out waiting for (the )?(server )?greeting|no greeting/i, finding: 'tls.mode-mismatch.starttls-on-implicit-port', meaning: 'The client waited for a plaintext greeting that never came; on port 465 the server expects TLS first.', source: SOURCES.nodemailer, confidence: 'likely' },
  // Certificates: the chain-with-a-self-signed-root case is the mark of an interceptor, before the leaf case.
  { id: 'cert-self-signed-in-chain', re: /self[- ]signed certificate in (the )?certificate chain|SELF_SIGNED_CERT_IN_CHAIN/i, finding: 'security-software.interception-suspected', meaning: 'The chain ends in a self-signed root the client does not trust: usually security software or a proxy that re-signs TLS.', source: SOURCES.node_errors, confidence: 'likely' },
  { id: 'cert-self-signed', re: /self[- ]signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT/i, finding: 'tls.certificate-self-signed', meaning: 'The server presented a self-signed certificate.', source: SOURCES.node_errors, confidence: 'certain' },
  { id: 'cert-expired', re: /certificate (?:\d{1,2} of \d{1,2} )?has expired|uses expired certificate|CERT_HAS_EXPIRED|x509: certificate has expired|certificate expired|SEC_ERROR_EXPIRED_CERTIFICATE|CertificateExpiredException|certificate_expired/i, finding: 'tls.certificate-expired', meaning: 'The server\'s certificate has expired.', source: `${SOURCES.node_errors}; ${SOURCES.gnutls} ("The certificate chain uses expired certificate"; msmtp: "certificate 2 of 4 has expired")`, confidence: 'certain' },
  { id: 'cert-altname', re: /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate'?s altnames|hostname\/ip does(?: not|n't) match|certificate (name|host ?name) (does not match|mismatch)|RemoteCertificateNameMismatch|x509: certificate is valid for|doesn't contain any IP SANs|target principal name is incorrect|Hostname mismatch|SSL_ERROR_BAD_CERT_DOMAIN|did not match expected CN/i, finding: 'tls.hostname-mismatch', meaning: 'The certificate is not valid for the host name the client used.', source: SOURCES.node_errors, confidence: 'certain' },
  { id: 'cert-untrusted', re: /unable to (verify the first certificate|get (local )?issuer certificate)|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|certificate (is )?not trusted|untrusted certificate|PKIX path (building|validation) failed|unable to find valid certification path|SunCertPathBuilderException|certificate signed by unknown authority|remote certificate is invalid|RemoteCertificateChainErrors|certificate verify failed|CERTIFICATE_VERIFY_FAILED|SSL certificate problem|security certificate that cannot be verified|Received fatal alert: certificate_unknown|SEC_ERROR_UNKNOWN_ISSUER|MOZILLA_PKIX_ERROR_\w+|Sicherheitszertifikat|certificat de sécurité|certificado de seguridad|certificato di sicurezza|beveiligingscertificaat|certificado de segurança/i, finding: 'tls.certificate-untrusted', meaning: 'The certificate chain does not lead to a trusted root (a missing intermediate, a private CA, or an interception proxy).', source: `${SOURCES.node_errors}; ${SOURCES.javamail}; ${SOURCES.dotnet}; ${SOURCES.go}`, confidence: 'likely' },
  { id: 'tls-version', re: /unsupported protocol|no protocols available|tlsv1 alert protocol version|ERR_SSL_UNSUPPORTED_PROTOCOL|No appropriate protocol|protocol is disabled or cipher suites are inappropriate|fatal alert: protocol_version|protocol version is not enabled|tls: no supported versions/i, finding: 'tls.protocol-version-mismatch', meaning: 'Client and server have no TLS version in common.', source: `${SOURCES.openssl}; ${SOURCES.javamail}`, confidence: 'likely' },
  { id: 'starttls-missing', re: /STARTTLS (is )?not (supported|offered|available)|does not support (TLS via the )?STARTTLS|STARTTLS is required but|STARTTLS extension not supported|Server does not support secure connections|Requested SSL level failed|curl: \(64\)/i, finding: 'tls.starttls-not-offered', meaning: 'The client requires STARTTLS but the server did not offer it.', source: `${SOURCES.nodemailer}; ${SOURCES.javamail}; ${SOURCES.python}; ${SOURCES.gnutls}`, confidence: 'likely' },
  { id: 'tls-handshake', re: /handshake failure|handshake_failure|sslv3 alert|Client network socket disconnected before secure TLS connection|SSL connect error|curl: \(35\)|TLS handshake failed|tls handshake eof/i, finding: 'tls.handshake-failed', meaning: 'The TLS handshake failed.', source: SOURCES.openssl, confidence: 'possible' },
  // Wrappers that only say TLS failed: the lines under them usually say why, and win (they are more certain).
  { id: 'java-convert-to-tls', re: /Could not convert socket to TLS|Failed to enable crypto|SslHandshakeException|error occurred while attempting to establish an SSL or TLS connection/i, finding: 'tls.handshake-failed', meaning: 'Starting TLS failed; the nested exception says why.', source: `${SOURCES.javamail}; ${SOURCES.php}; ${SOURCES.dotnet}`, confidence: 'possible' },
  // Authentication offered only after STARTTLS: Python's smtplib never starts TLS by itself.
  { id: 'py-auth-extension', re: /SMTP AUTH extension not supported|cannot use a secure authentication method/i, finding: 'auth.offered-only-after-starttls', meaning: 'The server offered no AUTH on this unencrypted session: most servers offer it only after STARTTLS (call starttls() first), or the port is a relay port without login.', source: `${SOURCES.python}; ${SOURCES.gnutls}`, confidence: 'likely' },
  { id: 'auth-not-supported', re: /(SMTP )?server does not support authentication/i, finding: 'auth.not-offered', meaning: 'The server offers no authentication here: it relays for trusted addresses without a login, or this is not the submission port.', source: `${SOURCES.dotnet}; ${SOURCES.gnutls}`, confidence: 'likely' },
  // Resolution, connection.
  { id: 'enotfound', re: /ENOTFOUND|errno"?\s*:\s*-3008\b|getaddrinfo \w*NOTFOUND|could not resolve host|Name or service not known|nodename nor servname|host not found|No such host is known|getaddrinfo (for \S+ )?failed|UnknownHostException|no such host|curl: \(6\)|wurde nicht gefunden|est introuvable|No se encuentra el servidor|Impossibile trovare il server|Kan de server niet vinden|Não foi possível encontrar o servidor|server could not be found/i, finding: 'resolve.nxdomain', meaning: 'The SMTP host name does not resolve.', source: `${SOURCES.node_errors}; ${SOURCES.dialogs}`, confidence: 'likely' },
  { id: 'eai-again', re: /EAI_AGAIN|Temporary failure in name resolution/i, finding: 'resolve.timeout', meaning: 'DNS did not answer.', source: SOURCES.node_errors, confidence: 'likely' },
  { id: 'connect-permission-denied', re: /(unable to connect|connect(ion)? (to|failed)|Failed to connect to server)[^\n]*(Permission denied|EACCES)|EACCES[^\n]*connect/i, finding: 'connect.local-block-suspected', meaning: 'This machine refused to open the connection itself (a local firewall, SELinux or the hosting\'s policy).', source: `${SOURCES.node_errors}; ${SOURCES.php}`, confidence: 'likely' },
  { id: 'econnrefused', re: /ECONNREFUSED|connection refused|Connection was refused|actively refused|was refused|Couldn't connect to server|curl: \(7\)|konnte nicht hergestellt werden|a été refusée|fue rechazada|è stata rifiutata|is geweigerd|foi recusada|is refusing SMTP connections|connecting to (?:the )?Outgoing server \(SMTP\)[^\n]{0,80}failed/i, finding: 'port.refused', meaning: 'Nothing listens on that port, or a firewall rejects the connection.', source: `${SOURCES.node_errors}; ${SOURCES.dialogs}`, confidence: 'certain' },
  { id: 'etimedout', re: /ETIMEDOUT|ESOCKETTIMEDOUT|connect(ion)? timed? ?out|Connection timeout|Net::OpenTimeout|execution expired|Operation timed out|curl: \(28\)|timed out waiting for a response|Zeitüberschreitung|délai d'attente|tiempo de espera|timeout della connessione|time-out|on port \d+ timed out/i, finding: 'port.filtered', meaning: 'No answer to the connection attempt: a firewall drops the packets (often an ISP or cloud host blocking the port).', source: `${SOURCES.node_errors}; ${SOURCES.ruby}; ${SOURCES.curl}`, confidence: 'likely' },
  { id: 'eunreach', re: /EHOSTUNREACH|ENETUNREACH|No route to host|Network is unreachable/i, finding: 'port.unreachable', meaning: 'A router answered that the server is unreachable.', source: SOURCES.node_errors, confidence: 'certain' },
  { id: 'econnreset', re: /ECONNRESET|EOF caught|connection reset by peer|socket hang up|Connection closed unexpectedly|unexpected (socket )?close|forcibly closed by the remote host|non-properly terminated|unexpectedly terminated the connection|Verbindung (wurde )?(unerwartet )?(beendet|unterbrochen)|connexion .{0,30}interrompue|se interrumpió|è stata interrotta|is verbroken|foi interrompida|connection to (the )?outgoing server \(SMTP\)[^\n]{0,60}was lost|unexpectedly terminated by the server|a interrompu la connexion|terminado la conexión|Verbindung unerwartet getrennt/i, finding: 'connect.closed-on-connect', meaning: 'The connection was closed or reset by the other side or something in between.', source: `${SOURCES.node_errors}; ${SOURCES.dialogs}`, confidence: 'possible' },
  { id: 'py-disconnected', re: /SMTPServerDisconnected|Connection unexpectedly closed|please run connect\(\) first|Unable to read data from the transport connection/i, finding: 'smtp.session-dropped', meaning: 'The server closed the session; where it happened (connect, login, DATA) says why.', source: `${SOURCES.python}; ${SOURCES.dotnet}`, confidence: 'possible' },
  // Authentication.
  { id: 'no-auth-mech', re: /no (supported|suitable) authentication (method|mechanism)|none of the authentication methods/i, finding: 'auth.no-common-mechanism', meaning: 'Client and server have no authentication method in common.', source: SOURCES.nodemailer, confidence: 'likely' },
  { id: 'eauth', re: /\bEAUTH\b|Invalid login|authentication (failed|unsuccessful)|Username and Password not accepted|login failed|wrong password|Login denied|curl: \(67\)|Could not authenticate|AuthenticationFailedException|SMTPAuthenticationError|rejected the (password|login)|Anmeldung[^\n]{0,40}fehlgeschlagen|Authentifizierung fehlgeschlagen|Échec de l'authentification|Error de autenticación|Autenticazione non riuscita|Verificatie mislukt|Falha na autenticação|rejected your login|Login to (?:the )?Outgoing server \(SMTP\)[^\n]{0,80}failed|(?:user ?name|username) or password[^\n]{0,60}is incorrect|Anmeldung abgelehnt|a refusé votre (?:connexion|ouverture de session)|rechazó (?:su|el) inicio de sesión|rifiutato (?:l'accesso|il login)|aanmelding geweigerd|rejeitou (?:o seu|seu) (?:início de sessão|logon)/i, finding: 'auth.credentials-rejected', meaning: 'The server refused the user name or password.', source: `${SOURCES.nodemailer}; ${SOURCES.php}; ${SOURCES.curl}; ${SOURCES.dialogs}`, confidence: 'likely' },
  // Generic connect failures of PHP mailers and mail dialogs, when nothing more specific was said.
  { id: 'php-connect-failed', re: /SMTP connect\(\) failed|Could not connect to SMTP host|Connection could not be established with host|cannot connect to (your |the )?(outgoing|SMTP)|could not connect to (the )?outgoing server|Kan geen verbinding maken met|Impossibile connettersi al server|No se (puede|pudo) conectar|Impossible de se connecter|Não foi possível (conectar|ligar)|Cannot send (?:the )?message using the server/i, finding: 'port.filtered', meaning: 'The client could not connect to the outgoing server: most often a firewall or the hosting provider blocks the port, or the host or port is wrong.', source: `${SOURCES.php}; ${SOURCES.dialogs}`, confidence: 'possible' },
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
