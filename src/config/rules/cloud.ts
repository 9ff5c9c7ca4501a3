// Rule for cloud_environment_name (§6.5): Public, China, USGovernment and their long forms.

import type { Report } from '../report.js';

const CLOUDS: Record<string, string> = {
  public: 'Public', publiccloud: 'Public', azurepubliccloud: 'Public',
  china: 'China', chinacloud: 'China', azurechinacloud: 'China',
  usgovernment: 'USGovernment', usgovernmentcloud: 'USGovernment', azureusgovernmentcloud: 'USGovernment',
};
const GERMAN = new Set(['german', 'germany', 'germancloud', 'germanycloud', 'azuregermancloud', 'azuregermanycloud']);

/** The canonical cloud name (Public, China, USGovernment, Germany), or undefined (with an error) when unknown. */
export function resolveCloudName(value: string | undefined, report: Report): string | undefined {
  if (value === undefined || value === '') return 'Public';
  const key = value.toLowerCase();
  if (CLOUDS[key]) return CLOUDS[key];
  if (GERMAN.has(key)) {
    report.warning('AZC_CONFIG_DEPRECATED', `cloud_environment_name: ${JSON.stringify(value)} is deprecated; the Azure Germany cloud was closed`, ['cloud_environment_name'],
      'builds against it will fail; use Public (the new German regions are part of it)');
    return 'Germany';
  }
  report.error('AZC_CONFIG_CLOUD', `cloud_environment_name: there is no cloud environment matching the name ${JSON.stringify(value)}`, ['cloud_environment_name'],
    'allowed: Public, China, USGovernment (or PublicCloud, AzurePublicCloud, ChinaCloud, AzureChinaCloud, USGovernmentCloud, AzureUSGovernmentCloud)');
  return undefined;
}
