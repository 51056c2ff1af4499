// A recommended configuration in the words of the client whose file was read (--from-config): msmtp's
// `tls_starttls on`, Thunderbird's "Connection security: STARTTLS", git's `sendemail.smtpEncryption tls`, ...
// so the user changes the setting they actually see, not a translation of it.
import type { SecurityMode } from '../../facts/types.js';
import type { ClientAccount } from './types.js';

export interface SpelledSetting {
  host: string;
  port: number;
  security: SecurityMode;
}

const yes = (b: boolean) => (b ? 'on' : 'off');

/** One line, e.g. `in ~/.msmtprc: host smtp.example.com, port 587, tls on, tls_starttls on`. */
export function inClientTerms(a: Pick<ClientAccount, 'format' | 'name' | 'user'>, s: SpelledSetting): string {
  const implicit = s.security === 'implicit-tls';
  const none = s.security === 'none';
  switch (a.format) {
    case 'thunderbird':
      return `in Thunderbird (Account Settings → Outgoing Server (SMTP) → Edit): Server Name ${s.host}, Port ${s.port}, Connection security ${implicit ? 'SSL/TLS' : none ? 'None' : 'STARTTLS'}`;
    case 'msmtp':
      return `in the msmtp file: host ${s.host}, port ${s.port}, tls ${yes(!none)}${none ? '' : `, tls_starttls ${yes(!implicit)}`}`;
    case 'mutt':
      return `in the muttrc: set smtp_url = "${implicit ? 'smtps' : 'smtp'}://${a.user ? `${a.user.replace('@', '%40')}@` : ''}${s.host}:${s.port}/"${none || implicit ? '' : ', set ssl_starttls = yes, set ssl_force_tls = yes'}`;
    case 'git':
      return `in git config: sendemail.smtpServer ${s.host}, sendemail.smtpServerPort ${s.port}, ${none ? 'no sendemail.smtpEncryption' : `sendemail.smtpEncryption ${implicit ? 'ssl' : 'tls'}`}`;
    case 'nodemailer':
      return `in the Nodemailer options: host: '${s.host}', port: ${s.port}, secure: ${implicit}${!implicit && !none ? ', requireTLS: true' : ''}`;
    case 'smtp-url':
      return `as a URL: ${implicit ? 'smtps' : 'smtp'}://${s.host}:${s.port}`;
    case 'env':
      return `in the .env file: ${envSpelling(a.name, s)}`;
  }
}

/** The .env conventions accountsFromEnv() reads, written back in the same convention. */
function envSpelling(name: string, s: SpelledSetting): string {
  const implicit = s.security === 'implicit-tls';
  const none = s.security === 'none';
  if (name.startsWith('Laravel')) return `MAIL_HOST=${s.host} MAIL_PORT=${s.port} MAIL_ENCRYPTION=${implicit ? 'ssl' : none ? 'null' : 'tls'}`;
  if (name.startsWith('Django')) return `EMAIL_HOST=${s.host} EMAIL_PORT=${s.port} EMAIL_USE_TLS=${!implicit && !none ? 'True' : 'False'} EMAIL_USE_SSL=${implicit ? 'True' : 'False'}`;
  if (name.startsWith('Rails')) return `SMTP_ADDRESS=${s.host} SMTP_PORT=${s.port} ${implicit ? 'SMTP_SSL=true' : `SMTP_ENABLE_STARTTLS_AUTO=${!none}`}`;
  if (name.startsWith('generic')) return `SMTP_HOST=${s.host} SMTP_PORT=${s.port} SMTP_SECURE=${implicit}`;
  return `${name}=${implicit ? 'smtps' : 'smtp'}://${s.host}:${s.port}`;
}
