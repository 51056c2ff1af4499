// The classes of issue 11's "Reading real texts": client-library dialects, wrappers around the reply, keyword
// collisions, the vague 4.7.x/5.7.x fallback, blocklist return codes, antivirus from a string, locality. Each row is
// a text as a library or client prints it and the finding explain must put first.
import { describe, expect, it } from 'vitest';
import { explainToReport } from '../../src/explain/explain.js';
import { recordCodes } from '../helpers/findings.js';

function first(text: string) {
  const r = explainToReport(text);
  recordCodes(r.findings);
  return r.findings[0]!;
}

const cases: Record<string, [string, string][]> = {
  '1 dialects': [
    ['javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?', 'tls.mode-mismatch.implicit-on-starttls-port'],
    ['jakarta.mail.MessagingException: Could not convert socket to TLS;\n  nested exception is:\n\tjavax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version', 'tls.protocol-version-mismatch'],
    ['javax.mail.MessagingException: Could not connect to SMTP host: mail.corp.example, port: 587;\n  nested exception is:\n\tjavax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target', 'tls.certificate-untrusted'],
    ['smtplib.SMTPNotSupportedError: SMTP AUTH extension not supported by server.', 'auth.offered-only-after-starttls'],
    ['  File "/usr/lib/python3.11/smtplib.py", line 341, in connect\n    (code, msg) = self.getreply()\nsmtplib.SMTPServerDisconnected: Connection unexpectedly closed', 'connect.closed-on-connect'],
    ['ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1129)', 'tls.mode-mismatch.implicit-on-starttls-port'],
    ["smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted. For more information, go to\\n5.7.8  https://support.google.com/mail/?p=BadCredentials - gsmtp')", 'auth.credentials-rejected'],
    ['System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure.', 'tls.certificate-untrusted'],
    ['MailKit.Security.SslHandshakeException: The handshake failed due to an unexpected packet format.', 'tls.mode-mismatch.implicit-on-starttls-port'],
    ['System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.0 Must issue a STARTTLS command first.', 'tls.required'],
    ['SMTP Error: Could not authenticate.', 'auth.credentials-rejected'],
    ['Connection: opening to ssl://mail.example.net:587, timeout=300\nSMTP NOTICE: EOF caught while checking if connected\nSMTP connect() failed.', 'tls.mode-mismatch.implicit-on-starttls-port'],
    ['dial tcp: tls: first record does not look like a TLS handshake', 'tls.mode-mismatch.implicit-on-starttls-port'],
    ['x509: certificate signed by unknown authority', 'tls.certificate-untrusted'],
    ['Net::SMTPAuthenticationError (535 5.7.8 Error: authentication failed: authentication failure)', 'auth.credentials-rejected'],
    ['Net::OpenTimeout: execution expired', 'port.filtered'],
    ['msmtp: TLS handshake failed: An unexpected TLS packet was received.', 'tls.mode-mismatch.implicit-on-starttls-port'],
    ['curl: (67) Login denied', 'auth.credentials-rejected'],
    ['javax.mail.MessagingException: Could not connect to SMTP host: mail.example.com, port: 465, response: -1', 'tls.mode-mismatch.starttls-on-implicit-port'],
    ['javax.mail.MessagingException: Exception reading response; nested exception is: java.net.SocketTimeoutException: Read timed out', 'smtp.greeting-timeout'],
    ["stream_socket_enable_crypto(): Peer certificate CN=`*.hostgator.com' did not match expected CN=`mail.example.com'", 'tls.hostname-mismatch'],
    ['curl: (28) Connection timed out after 10001 milliseconds', 'port.filtered'],
    ["Task 'mail.example.net - Sending' reported error (0x800CCC0F) : 'The connection to the server was interrupted.'", 'connect.closed-on-connect'],
    ["Der Host 'smtp.beispiel.example' wurde nicht gefunden.", 'resolve.nxdomain'],
    ['La connexion au serveur a été refusée.', 'port.refused'],
    ['No se puede conectar al servidor de correo saliente.', 'port.filtered'],
    ['Login to Outgoing server (SMTP) smtp.example.org failed.', 'auth.credentials-rejected'],
    ['The message could not be sent because connecting to Outgoing server (SMTP) smtp.example.org failed. The server may be unavailable or is refusing SMTP connections.', 'port.refused'],
    ['The connection to the server “mail.example.org” on port 587 timed out.', 'port.filtered'],
    ['Your server does not support the connection encryption type you have specified.', 'tls.mode-mismatch.implicit-on-starttls-port'],
    ['Votre serveur de messagerie a refusé votre connexion. Vérifiez votre nom d\'utilisateur et votre mot de passe.', 'auth.credentials-rejected'],
    ['Das Sicherheitszertifikat des Servers kann nicht überprüft werden.', 'tls.certificate-untrusted'],
    ['Outlook / Outlook Express: 0×800ccc0e', 'port.refused'],
  ],
  '2 wrappers': [
    ['Expected response code 250 but got code "553", with message "553 5.7.1 <a@b.example>: Sender address rejected: not owned by user c@b.example"', 'envelope.sender-rejected'],
    ['Expected response code "235" but got code "534", with message "534-5.7.9 Application-specific password required."', 'auth.app-password-required'],
    ['{"error":"Invalid login: 535-5.7.8 Username and Password not accepted. Learn more at\\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x - gsmtp"}', 'auth.credentials-rejected'],
    ['SMTPRecipientsRefused: {\'x@y.example\': (550, b\'5.1.1 <x@y.example>: Recipient address rejected: User unknown\')}', 'envelope.recipient-rejected'],
  ],
  '3 collisions': [
    ['550 5.4.5 Daily user sending quota exceeded. x - gsmtp', 'envelope.rate-limited'],
    ['Error: x509: certificate has expired or is not yet valid', 'tls.certificate-expired'],
    ["SMTP Server's Certificate with subject CN=mail.corp.example was invalid with policy errors RemoteCertificateChainErrors.", 'tls.certificate-untrusted'],
    ['554 5.7.1 <x@y.example>: Relay access denied (SPAM protection)', 'envelope.relay-denied'],
    ['Caused by: java.security.cert.CertificateExpiredException: NotAfter: Sat Jan 01 00:00:00 UTC 2022', 'tls.certificate-expired'],
    ['Le serveur a répondu : 550 5.7.1 Adresse IP bloquée', 'envelope.ip-blocked'],
  ],
  '4 fallback': [
    ['451 4.7.1 Try again later', 'envelope.greylisted'],
    ['421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes', 'envelope.rate-limited'],
    ["550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", 'envelope.ip-blocked'],
    ['421-4.7.0 Try again later, closing connection. (EHLO) x - gsmtp', 'smtp.ehlo-rejected'],
    ['550 5.7.60 SMTP; Client does not have permissions to send as this sender', 'envelope.sender-rejected'],
    ['432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded', 'envelope.rate-limited'],
    ['553 5.7.1 <a@b.example>: Sender address rejected: not logged in', 'auth.required'],
    ['553 sorry, you must check your mail before sending (POP before SMTP)', 'auth.required'],
    ['550 5.7.30 Basic authentication is not supported for Client Submission.', 'auth.oauth-required'],
    ['503 5.5.1 Error: authentication not enabled', 'auth.not-offered'],
    ['454 4.7.0 TLS not available due to local problem', 'tls.starttls-refused'],
    ['550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.', 'envelope.ip-blocked'],
    ['550 5.7.1 Our system has detected that this message is likely unsolicited mail.', 'envelope.message-rejected-spam'],
  ],
  '5 blocklist return codes': [
    ['554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; Error: open resolver; https://www.spamhaus.org/returnc/pub/192.0.2.53', 'reputation.blocklist-refused'],
    ['550 5.7.1 rejected: zen.spamhaus.org answered 127.255.255.254 for 192.0.2.1', 'reputation.blocklist-refused'],
  ],
  '6 antivirus': [
    ['Error: self signed certificate in certificate chain', 'security-software.interception-suspected'],
    ['javax.mail.MessagingException: Could not connect to SMTP host: smtp.gmail.com, port: 465;\n  nested exception is:\n\tjavax.net.ssl.SSLHandshakeException: PKIX path building failed', 'security-software.interception-suspected'],
    ['i:/OU=generated by Avast Antivirus for SSL/TLS scanning/O=Avast Web/Mail Shield/CN=Avast Web/Mail Shield Root\nverify error:num=19:self signed certificate in certificate chain', 'security-software.tls-interception'],
  ],
  '7 locality': [
    ["Error: connect ECONNREFUSED 142.250.102.108:587 (smtp.gmail.com)", 'connect.local-block-suspected'],
    ['getaddrinfo ENOTFOUND smtp.office365.com', 'resolve.local-failure-suspected'],
    ['getaddrinfo ENOTFOUND smtp.gmial.com', 'resolve.nxdomain'],
    ["{ Error: getaddrinfo ENOTFOUND smtp.gmail.com \n  hostname: 'smtp.gmail.com ' }", 'resolve.nxdomain'],
    ['Error: connect ECONNREFUSED 127.0.0.1:587', 'port.refused'],
    ['postfix/smtp[123]: connect to gmail-smtp-in.l.google.com[142.250.1.26]:25: Connection timed out', 'connect.local-block-suspected'],
    ['Swift_TransportException: Connection could not be established with host smtp.gmail.com [Network is unreachable #101]', 'connect.local-block-suspected'],
  ],
};

describe.each(Object.entries(cases))('explain reads %s', (_name, rows) => {
  it.each(rows)('%s', (text, code) => {
    expect(first(text).code).toBe(code);
  });
});

describe('explain names what it can from the text', () => {
  it('an interceptor quoted by issuer is named in the title, with how to stop it', () => {
    const f = first('i:/CN=Avast Web/Mail Shield Root\nunable to get local issuer certificate');
    expect(f.title).toMatch(/Avast/);
    expect(f.fix.join(' ')).toMatch(/Mail Shield/);
  });
  it('a chain error on a well-known host says how to tell (the issuer) and that `sendcheck check` names the product', () => {
    const f = first('PKIX path building failed (smtp.office365.com:587)');
    expect(f.code).toBe('security-software.interception-suspected');
    expect(f.fix.join(' ')).toMatch(/issuer/);
    expect(f.fix.join(' ')).toMatch(/sendcheck check/);
  });
});
