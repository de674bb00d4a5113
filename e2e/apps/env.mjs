// What every app of the tour test reads from its environment.
export const baseURL = `${requireEnv('MOCK_URL')}/v1`;
export const apiKey = requireEnv('API_KEY');
export const deadline = Date.now() + Number(process.env.DURATION_SECONDS ?? '20') * 1000;

export const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function requireEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
