import fs from 'node:fs';
import path from 'node:path';
import { isDnsName, parseConfig } from '../../config/index.js';
import { OperationalError, UsageError } from '../../domain/index.js';
import { msg, t } from '../../i18n/index.js';
import type { AppContext } from '../shared/context.js';
import { renderInventoryTemplate } from './init-template.js';
import { PLAYBOOKS_DIR } from '../shared/playbook-library.js';

export interface InitRequest {
  /** Where to write vigie.yml (absolute). */
  file: string;
  /** organisation.name; absent: a placeholder in the organisation's language. */
  organisation?: string;
  /** Mail domains: one asset with these domains only. */
  domains: readonly string[];
}

export interface InitResult {
  file: string;
  organisation: string;
  domains: string[];
  playbooks: { dir: string; copied: number; kept: boolean };
  dataDir: string;
  dataDirCreated: boolean;
}

/** The organisation's copy of the playbook library, beside vigie.yml (`playbooks.dir: playbooks`). */
const PLAYBOOKS_SUBDIR = 'playbooks';

function normaliseDomains(ctx: AppContext, domains: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of domains) {
    const domain = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!isDnsName(domain)) {
      throw new UsageError(t(ctx.lang, 'init.domain.invalid', { domain: raw }), {
        hint: t(ctx.lang, 'init.domain.hint'),
      });
    }
    if (!out.includes(domain)) out.push(domain);
  }
  return out;
}

function writeFailure(target: string, error: unknown): OperationalError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new OperationalError(msg('errlang.output.unwritable', { file: target, code }), {
    cause: error,
    hint: msg('errlang.init.unwritable.hint'),
  });
}

/** Copies the package's playbooks (files 0600, directory 0700); an existing directory is left alone. */
function copyPlaybooks(dir: string): { copied: number; kept: boolean } {
  if (fs.existsSync(dir)) return { copied: 0, kept: true };
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let copied = 0;
  for (const name of fs.readdirSync(PLAYBOOKS_DIR).sort()) {
    if (!name.endsWith('.md')) continue;
    fs.writeFileSync(path.join(dir, name), fs.readFileSync(path.join(PLAYBOOKS_DIR, name)), {
      flag: 'wx',
      mode: 0o600,
    });
    copied++;
  }
  return { copied, kept: false };
}

/**
 * `vigie init`: writes a commented vigie.yml (0600) for an organisation and its mail domains, copies
 * the playbook library beside it and creates the data directory (0700). Never overwrites vigie.yml:
 * an existing file is a usage error (exit 2) and nothing is written. The file written passes
 * `vigie inventory validate`.
 */
export function initProject(ctx: AppContext, req: InitRequest): InitResult {
  const file = path.resolve(req.file);
  if (fs.existsSync(file)) {
    throw new UsageError(t(ctx.lang, 'init.exists', { file }), { hint: t(ctx.lang, 'init.exists.hint') });
  }
  const organisation = (req.organisation ?? t(ctx.lang, 'init.org.default')).trim();
  if (organisation === '') {
    throw new UsageError(t(ctx.lang, 'init.org.empty'), { hint: t(ctx.lang, 'init.org.hint') });
  }
  const domains = normaliseDomains(ctx, req.domains);
  const text = renderInventoryTemplate({
    organisation,
    domains,
    lang: ctx.lang,
    playbooksDir: PLAYBOOKS_SUBDIR,
  });

  const playbooksDir = path.join(path.dirname(file), PLAYBOOKS_SUBDIR);
  let playbooks: { copied: number; kept: boolean };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    playbooks = copyPlaybooks(playbooksDir);
  } catch (error) {
    throw writeFailure(playbooksDir, error);
  }
  const dataDirCreated = !fs.existsSync(ctx.dataDir);
  try {
    fs.mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw writeFailure(ctx.dataDir, error);
  }
  // What is written must validate; a failure here is a bug of the template (exit 3 names the issue).
  parseConfig(text, file);
  try {
    fs.writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(t(ctx.lang, 'init.exists', { file }), { hint: t(ctx.lang, 'init.exists.hint') });
    }
    throw writeFailure(file, error);
  }
  return {
    file,
    organisation,
    domains,
    playbooks: { dir: playbooksDir, ...playbooks },
    dataDir: ctx.dataDir,
    dataDirCreated,
  };
}
