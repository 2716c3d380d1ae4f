/**
 * Logged images: their bytes in parts (`image-parts/<imageId>-<part>.bin`)
 * and their records in list chunks (`images/`), a record written only
 * after every part, so a listed image is always whole.
 */
import { IMAGE_MIMES } from '../model';
import type { ILoggedImage } from '../model';
import { appendChunk, readChunks } from './chunks';
import type { IDamagedFile, StoreContext } from './context';
import { FORMATS } from './format';
import { StoreDamagedError, StorePathError } from './fs';
import { mapLimit } from './maplimit';

/** Store one part of a logged image's bytes (before `appendImages` lists it). */
export async function putImagePart(
  ctx: StoreContext,
  id: string,
  imageId: string,
  part: number,
  bytes: Uint8Array
): Promise<void> {
  await ctx.fs.writeBytes(
    ctx.path(id, 'image-parts', imagePartName(imageId, part)),
    bytes
  );
}

/** Append image records as one new chunk (none: nothing written). */
export function appendImages(
  ctx: StoreContext,
  id: string,
  images: readonly ILoggedImage[]
): Promise<void> {
  return appendChunk(ctx, id, 'images', images);
}

/** Every logged image of an experiment (records only), in the order logged. */
export async function loadImages(
  ctx: StoreContext,
  id: string
): Promise<{ images: ILoggedImage[]; damaged: IDamagedFile[] }> {
  const damaged: IDamagedFile[] = [];
  const chunks = await readChunks<{ images: unknown }>(
    ctx,
    id,
    'images',
    FORMATS.images,
    damaged
  );
  const images: ILoggedImage[] = [];
  const seen = new Set<string>();
  for (const { value } of chunks) {
    for (const image of Array.isArray(value.images) ? value.images : []) {
      if (isImageRecord(image) && !seen.has(image.id)) {
        seen.add(image.id);
        images.push(image);
      }
    }
  }
  return { images, damaged };
}

/** The bytes of one logged image: its parts joined. */
export async function loadImageBytes(
  ctx: StoreContext,
  id: string,
  image: ILoggedImage
): Promise<Uint8Array> {
  const parts = await mapLimit(
    Array.from({ length: image.parts }, (_, i) => i),
    4,
    part =>
      ctx.fs.readBytes(
        ctx.path(id, 'image-parts', imagePartName(image.id, part))
      )
  );
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  if (out.length !== image.size) {
    throw new StoreDamagedError(
      ctx.path(id, 'image-parts'),
      `image ${image.name} has ${out.length} of its ${image.size} bytes`
    );
  }
  return out;
}

const IMAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** File name of one part of an image; the id comes from the kernel, so it is checked. */
export function imagePartName(imageId: string, part: number): string {
  if (!IMAGE_ID.test(imageId) || !Number.isInteger(part) || part < 0) {
    throw new StorePathError(imageId, 'not an image id');
  }
  return `${imageId}-${part}.bin`;
}

export function isImageRecord(x: any): x is ILoggedImage {
  return (
    !!x &&
    typeof x.id === 'string' &&
    IMAGE_ID.test(x.id) &&
    typeof x.name === 'string' &&
    (IMAGE_MIMES as readonly string[]).includes(x.mime) &&
    Number.isInteger(x.parts) &&
    x.parts > 0 &&
    Number.isInteger(x.size) &&
    x.size >= 0
  );
}
