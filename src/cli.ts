/**
 * `npx localface <command>`: the facade from the command line, printing the spec's JSON.
 *
 *   localface match a.jpg b.jpg [--detect-all] [--crop TYPE] [--profile NAME]
 *   localface detect photo.jpg [--scenario NAME] [--only-central] [--crop TYPE]
 *   localface serve [--port 41101] [--host 127.0.0.1]   (REST API, see src/rest/serve-cli.ts)
 *
 * Everything runs in this process on the bundled models; no image leaves the machine.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createNodeFaceSdk } from './node.ts';
import { messageOf } from './api/result-codes.ts';
import { PROFILE_NAMES, isProfileName, type ProfileName } from './engine/profiles.ts';

const HELP = `localface — face match and detect on this machine (Regula Face SDK Web API 6.4 shapes)

Usage:
  localface match IMAGE IMAGE [IMAGE…] [--detect-all] [--crop TYPE] [--profile NAME] [--out FILE]
  localface detect IMAGE [--scenario NAME] [--only-central] [--crop TYPE] [--profile NAME] [--out FILE]
  localface serve [--port 41101] [--host 127.0.0.1] [--profile NAME]   (the REST API; serve --help)
  localface --help

Options:
  --detect-all       match every face of each image (default: the most central face)
  --scenario NAME    detect scenario: CropCentralFace, CropAllFaces, Thumbnail, QualityFull,
                     QualityICAO, QualityVisaSchengen, QualityVisaUSA, AttributesAll
  --only-central     detect only the most central face
  --crop TYPE        return aligned portraits: 0 = 3:4, 1 = 4:5, 2 = 2:3, 3 = 1:1, 4 = 7:9
  --profile NAME     engine profile: accurate (default), fast or compact; each has its own
                     measured threshold (README, "Engine profiles")
  --out FILE         write the JSON response to FILE instead of standard output

Prints the API response as JSON. Exit status: 0 when the response code is 0, 1 otherwise,
2 for usage errors.`;

const CLI_IMAGE_TYPES = [3, 3, 5, 5, 1, 1, 2, 2, 6, 6, 7, 7];

interface Parsed { positional: string[]; flags: Map<string, string | true> }

function parse(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const valued = new Set(['--scenario', '--crop', '--out', '--profile']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) positional.push(a);
    else if (valued.has(a)) flags.set(a, argv[++i] ?? '');
    else flags.set(a, true);
  }
  return { positional, flags };
}

function usage(message: string): number {
  process.stderr.write(`localface: ${message}\nRun "localface --help" for usage.\n`);
  return 2;
}

async function readImages(files: string[]): Promise<string[]> {
  return Promise.all(files.map(async (f) => (await readFile(f)).toString('base64')));
}

function cropParam(flags: Parsed['flags']): { crop: { type: number } } | undefined {
  const t = flags.get('--crop');
  if (t === undefined) return undefined;
  const type = Number(t);
  if (!Number.isInteger(type) || type < 0 || type > 4) throw new RangeError('--crop takes 0..4');
  return { crop: { type } };
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP + '\n');
    return command ? 0 : 2;
  }
  if (command === 'serve') return (await import('./rest/serve-cli.ts')).runServe(rest);
  const { positional, flags } = parse(rest);
  const profileFlag = flags.get('--profile');
  if (profileFlag !== undefined && !isProfileName(profileFlag)) return usage(`--profile takes ${PROFILE_NAMES.join(', ')}`);
  let request: unknown;
  try {
    if (command === 'match') {
      if (positional.length < 2) return usage('match needs two or more images');
      // The API allows two images per ImageSource type; the CLI spreads them over the types
      // that mean nothing beyond that (type 4 would compare faces inside one image).
      if (positional.length > CLI_IMAGE_TYPES.length) return usage(`match takes at most ${CLI_IMAGE_TYPES.length} images`);
      const data = await readImages(positional);
      const output = cropParam(flags);
      request = { images: data.map((d, i) => ({ data: d, type: CLI_IMAGE_TYPES[i], detectAll: flags.has('--detect-all') })), ...(output ? { outputImageParams: output } : {}) };
    } else if (command === 'detect') {
      if (positional.length !== 1) return usage('detect needs exactly one image');
      const [image] = await readImages(positional);
      const scenario = flags.get('--scenario');
      const output = cropParam(flags);
      request = { image, processParam: { ...(typeof scenario === 'string' ? { scenario } : {}), onlyCentralFace: flags.has('--only-central'), ...(output ? { outputImageParams: output } : {}) } };
    } else {
      return usage(`unknown command "${command}"`);
    }
  } catch (error) {
    return usage(messageOf(error));
  }

  const profile: ProfileName | undefined = profileFlag;
  const sdk = await createNodeFaceSdk({ mode: 'in-process', ...(profile ? { profile } : {}) });
  try {
    const response = command === 'match' ? await sdk.match(request) : await sdk.detect(request);
    const json = JSON.stringify(response, null, 2) + '\n';
    const out = flags.get('--out');
    if (typeof out === 'string') await writeFile(out, json);
    else process.stdout.write(json);
    return response.code === 0 ? 0 : 1;
  } finally {
    sdk.close();
  }
}
