/** The policy document an operator or a `vibe` command is given as a file: read, parsed and checked once. */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_POLICY, PolicyDocument } from './document.js';

export class PolicyFileError extends Error {
  constructor(
    readonly code: 'VIBE_POLICY_DOCUMENT_UNREADABLE' | 'VIBE_POLICY_DOCUMENT_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'PolicyFileError';
  }
}

/** The policy document in `path` (YAML or JSON), else the built-in one; frozen. */
export async function loadPolicyFile(path: string | undefined): Promise<PolicyDocument> {
  if (!path) return DEFAULT_POLICY;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PolicyFileError(
      'VIBE_POLICY_DOCUMENT_UNREADABLE',
      `cannot read the policy file ${path}: ${(err as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new PolicyFileError(
      'VIBE_POLICY_DOCUMENT_INVALID',
      `the policy file ${path} is not YAML: ${(err as Error).message}`,
    );
  }
  const parsed = PolicyDocument.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'document'}: ${i.message}`)
      .join('; ');
    throw new PolicyFileError(
      'VIBE_POLICY_DOCUMENT_INVALID',
      `the policy file ${path} is not a valid policy document: ${problems}`,
    );
  }
  return Object.freeze(parsed.data);
}
