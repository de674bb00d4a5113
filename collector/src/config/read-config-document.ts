import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { ConfigFileNotFoundError } from './config-file-not-found-error.js';

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/:$/, '');
}

/** The file's content as plain data, by its extension: YAML for .yaml/.yml, JSON for .json. */
export function readConfigDocument(path: string): unknown {
  const extension = extname(path).toLowerCase();
  const isYaml = YAML_EXTENSIONS.has(extension);
  if (!isYaml && extension !== '.json') {
    throw new ConfigError(`${path}: Expected a .yaml, .yml or .json file, got \`${extension}\``);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigFileNotFoundError(path);
    throw new ConfigError(`${path}: Cannot read: ${firstLine((error as Error).message)}`);
  }
  try {
    return isYaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const format = isYaml ? 'YAML' : 'JSON';
    throw new ConfigError(`${path}: Invalid ${format}: ${firstLine((error as Error).message)}`);
  }
}
