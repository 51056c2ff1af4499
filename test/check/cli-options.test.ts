// The command line's options, declared once: generated help (short and --help-all), "did you mean", one meaning per
// flag, and shell completion generated from the same tables.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { completionScript } from '../../src/cli/completion-command.js';
import { closest } from '../../src/cli/did-you-mean.js';
import { helpText } from '../../src/cli/options.js';
import { CHECK_SPEC, COMMAND_SPECS } from '../../src/cli/specs.js';
import { CLI, runCli } from '../helpers/cli.js';

function oneLine(r: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('help generated from the option tables', () => {
  it('--help is short: the essentials and examples; --help-all lists every option of the table', async () => {
    const short = await runCli(['check', '--help']);
    const all = await runCli(['check', '--help-all']);
    expect(short.code).toBe(0);
    expect(all.code).toBe(0);
    expect(short.stdout.split('\n').length).toBeLessThan(45);
    expect(short.stdout).toMatch(/Examples:\n  sendcheck check alice@example.com/);
    expect(short.stdout).toMatch(/\d+ more options: sendcheck check --help-all/);
    expect(short.stdout).not.toMatch(/--autoconfig-host/);
    for (const name of Object.keys(CHECK_SPEC.options)) expect(all.stdout).toContain(`--${name}`);
  });
  it('every command has a generated help that names its own flags', () => {
    for (const spec of COMMAND_SPECS) {
      const text = helpText(spec, true);
      expect(text).toMatch(new RegExp(`^Usage: sendcheck ${spec.name}`));
      for (const name of Object.keys(spec.options)) expect(text).toContain(`--${name}`);
    }
  });
});

describe('mistakes: one line, the closest match, exit 2', () => {
  it('a mistyped command', async () => oneLine(await runCli(['chek', 'alice@example.com']), /^sendcheck: unknown command "chek": did you mean check\?$/m));
  it('swapped letters count as one typo', () => expect(closest('chekc', ['check', 'domain'])).toBe('check'));
  it('a mistyped flag', async () => oneLine(await runCli(['check', '--hots', 'mail.example.com']), /unknown option --hots: did you mean --host\?/));
  it('a flag far from every known one names the help instead', async () => oneLine(await runCli(['domain', '--zzzzzzzz']), /unknown option --zzzzzzzz \(see sendcheck domain --help\)/));
  it('a value for a flag that takes none, and a missing value', async () => {
    oneLine(await runCli(['check', '--json=yes']), /--json takes no value/);
    oneLine(await runCli(['check', '--host']), /--host needs a value: --host HOST/);
  });
  it('--wait and --timeout are checked by one rule each', async () => {
    oneLine(await runCli(['roundtrip', 'alice@example.com', '--wait', '0.5', '--password-stdin'], { input: 'x' }), /--wait must be between 1 and 900 seconds \(got "0.5"\)/);
    oneLine(await runCli(['check', '--host', 'mail.example.com', '--timeout', '301']), /timeout must be between 0.1 and 300 seconds \(got "301"\)/);
  });
});

describe('one meaning per flag', () => {
  it('--to is the envelope test\'s recipient; the round trip\'s recipient is --send-to', async () => {
    oneLine(await runCli(['roundtrip', 'alice@example.com', '--to', 'alias@example.com', '--password-stdin'], { input: 'x' }), /--to tests a recipient without sending anything; the round trip's recipient is --send-to ADDRESS/);
    oneLine(await runCli(['check', 'alice@example.com', '--send-to', 'alias@example.com']), /--send-to belongs to the round trip/);
  });
});

describe('shell completion', () => {
  const bashComplete = (line: string[]) => execFileSync('bash', ['-c', `source <(node ${CLI} completion bash); COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _sendcheck; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' }).trim().split('\n');
  it('bash completes commands, flags and flag values', () => {
    expect(bashComplete(['sendcheck', 'ch'])).toEqual(['check']);
    expect(bashComplete(['sendcheck', 'check', '--sec'])).toEqual(['--security']);
    expect(bashComplete(['sendcheck', 'check', '--security', 's'])).toEqual(['starttls']);
    expect(bashComplete(['sendcheck', 'roundtrip', '--send'])).toEqual(['--send-to']);
  });
  it('fish completes commands, flags and values; zsh loads the script and defines the completer', () => {
    const fish = (line: string) => execFileSync('fish', ['-c', `node ${CLI} completion fish | source; complete -C '${line}'`], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split('\t')[0]);
    expect(fish('sendcheck ch')).toEqual(['check']);
    expect(fish('sendcheck check --secu')).toEqual(['--security']);
    expect(fish('sendcheck check --security ')).toEqual(['implicit-tls', 'none', 'starttls']);
    const zsh = execFileSync('zsh', ['-fc', `autoload -U compinit; compinit -u -D; source <(node ${CLI} completion zsh); whence -w _sendcheck`], { encoding: 'utf8' });
    expect(zsh.trim()).toBe('_sendcheck: function');
  });
  it('zsh and fish scripts name every command and flag', () => {
    for (const shell of ['zsh', 'fish'] as const) {
      const script = completionScript(shell);
      for (const spec of COMMAND_SPECS) {
        expect(script).toContain(spec.name);
        for (const name of Object.keys(spec.options)) expect(script).toMatch(new RegExp(shell === 'fish' ? `-l ${name}\\b` : `--${name}\\[`));
      }
    }
  });
  it('an unknown shell is one line, exit 2', async () => oneLine(await runCli(['completion', 'tcsh']), /give one shell: sendcheck completion bash\|zsh\|fish \(not "tcsh"\)/));
});
