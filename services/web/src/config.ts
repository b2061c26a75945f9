/** What the server tells the app at start (`/config.json`), so one build serves every deployment. */
export interface WebConfig {
  oidcIssuer: string;
  oidcClientId: string;
}

export async function loadConfig(): Promise<WebConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return (await response.json()) as WebConfig;
}
