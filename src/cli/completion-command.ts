// `sendcheck completion bash|zsh|fish`: a completion script generated from the option tables (specs.ts), so it
// completes exactly the commands, flags and flag values the parser accepts.
import { ExitCode, UserError } from '../errors.js';
import type { CliIo } from './io.js';
import { parseCommandLine, type CommandSpec, type OptionSpec } from './options.js';
import { COMMAND_SPECS, COMPLETION_SPEC } from './specs.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const flags = (spec: CommandSpec) => Object.entries(spec.options) as [string, OptionSpec][];
const firstLine = (s: string) => s.split('\n')[0]!;

function bash(): string {
  const cases = COMMAND_SPECS.map((spec) => {
    const words = flags(spec).flatMap(([n, o]) => [`--${n}`, ...(o.short ? [`-${o.short}`] : [])]).join(' ');
    const values = flags(spec)
      .filter(([, o]) => o.complete)
      .map(([n, o]) => `      --${n}) ${o.complete === 'file' ? 'COMPREPLY=($(compgen -f -- "$cur"))' : `COMPREPLY=($(compgen -W "${(o.complete as readonly string[]).join(' ')}" -- "$cur"))`}; return ;;`)
      .join('\n');
    const takesValue = flags(spec).filter(([, o]) => o.type === 'string' && !o.complete).map(([n]) => `--${n}`).join('|');
    return `    ${spec.name})
      case "$prev" in
${values}${takesValue ? `\n      ${takesValue}) return ;;` : ''}
      esac
      COMPREPLY=($(compgen -W "${words}" -- "$cur")) ;;`;
  }).join('\n');
  return `# sendcheck completion for bash: source <(sendcheck completion bash)
_sendcheck() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${COMMAND_SPECS.map((s) => s.name).join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
}
complete -o default -F _sendcheck sendcheck
`;
}

/** zsh _arguments specs: '--host[help]:HOST:' with [, ], : and ' escaped. */
function zsh(): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, `'\\''`).replace(/([[\]:])/g, '\\$1');
  const cases = COMMAND_SPECS.map((spec) => {
    const specs = flags(spec).map(([n, o]) => {
      const repeat = o.multiple ? '*' : '';
      const action = o.type === 'boolean' ? '' : `:${esc(o.arg ?? 'VALUE')}:${o.complete === 'file' ? '_files' : o.complete ? `(${o.complete.join(' ')})` : ' '}`;
      return `'${repeat}--${n}[${esc(firstLine(o.help))}]${action}'`;
    });
    return `    ${spec.name}) _arguments -s \\\n        ${specs.join(' \\\n        ')} \\\n        '*::argument:_files' ;;`;
  }).join('\n');
  const commands = COMMAND_SPECS.map((s) => `'${s.name}:${esc(s.summary)}'`).join(' ');
  return `#compdef sendcheck
# sendcheck completion for zsh: sendcheck completion zsh > "\${fpath[1]}/_sendcheck" (or: source <(sendcheck completion zsh))
_sendcheck() {
  local -a commands
  commands=(${commands})
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local cmd=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $cmd in
${cases}
  esac
}
if [ "$funcstack[1]" = "_sendcheck" ]; then _sendcheck "$@"; else compdef _sendcheck sendcheck; fi
`;
}

function fish(): string {
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const names = COMMAND_SPECS.map((s) => s.name).join(' ');
  const lines = [`# sendcheck completion for fish: sendcheck completion fish > ~/.config/fish/completions/sendcheck.fish`, 'complete -c sendcheck -f'];
  for (const spec of COMMAND_SPECS) lines.push(`complete -c sendcheck -n "not __fish_seen_subcommand_from ${names}" -a ${spec.name} -d ${q(spec.summary)}`);
  for (const spec of COMMAND_SPECS) {
    for (const [n, o] of flags(spec)) {
      const value = o.type === 'boolean' ? '' : o.complete === 'file' ? ' -r -F' : o.complete ? ` -x -a ${q(o.complete.join(' '))}` : ' -x';
      lines.push(`complete -c sendcheck -n "__fish_seen_subcommand_from ${spec.name}" -l ${n}${o.short ? ` -s ${o.short}` : ''}${value} -d ${q(firstLine(o.help))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? bash() : shell === 'zsh' ? zsh() : fish();
}

export async function completionCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(COMPLETION_SPEC, argv, io.stdout);
  if (!args) return ExitCode.ok;
  const shell = args.positionals[0];
  if (args.positionals.length !== 1 || !SHELLS.includes(shell as Shell)) {
    throw new UserError('usage', `give one shell: sendcheck completion ${SHELLS.join('|')}${shell ? ` (not "${shell.slice(0, 40)}")` : ''}`);
  }
  io.stdout(completionScript(shell as Shell));
  return ExitCode.ok;
}
