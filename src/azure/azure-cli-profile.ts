// The Azure CLI's default subscription, from azureProfile.json (as Packer reads it for use_azure_cli_auth).

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CliSubscription { id: string; tenantId?: string }

/** The subscription marked isDefault in `$AZURE_CONFIG_DIR/azureProfile.json` (or ~/.azure), if any. */
export async function cliDefaultSubscription(env: NodeJS.ProcessEnv = process.env): Promise<CliSubscription | undefined> {
  const dir = env.AZURE_CONFIG_DIR || join(homedir(), '.azure');
  let text: string;
  try {
    text = await readFile(join(dir, 'azureProfile.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    // The CLI writes the file with a UTF-8 byte order mark.
    const profile = JSON.parse(text.replace(/^\uFEFF/, '')) as { subscriptions?: { id?: string; tenantId?: string; isDefault?: boolean }[] };
    const found = profile.subscriptions?.find((s) => s.isDefault && s.id);
    return found?.id ? { id: found.id, tenantId: found.tenantId } : undefined;
  } catch {
    return undefined;
  }
}
