/**
 * Logged images of one experiment, one viewer per image name with a step
 * slider (TensorBoard-style): the slider picks one of the images logged
 * under that name, in step order; while it rests on the newest image it
 * follows new ones as they arrive. Bytes are read only for the image
 * shown, and shown through a blob URL of an allowed raster type (never
 * SVG), so logged data cannot run code.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ILoggedImage } from '../../../core/model';

export class ImageGallery {
  constructor(options: ImageGallery.IOptions) {
    this.node = document.createElement('div');
    this.node.className = 'jp-Labbook-images';
    this._load = options.load;
    this._trans = options.trans;
  }

  readonly node: HTMLDivElement;

  /** Show these images (all of the experiment's, in the order logged). */
  update(images: readonly ILoggedImage[]): void {
    const byName = new Map<string, ILoggedImage[]>();
    for (const image of images) {
      const list = byName.get(image.name) ?? [];
      list.push(image);
      byName.set(image.name, list);
    }
    if (byName.size === 0) {
      this.node.replaceChildren();
      this._viewers.clear();
      return;
    }
    if (!this.node.firstChild) {
      const title = document.createElement('h3');
      title.className = 'jp-Labbook-sectionTitle';
      title.textContent = this._trans.__('Images');
      this.node.append(title);
    }
    for (const name of [...byName.keys()].sort()) {
      const list = byName.get(name)!;
      // Step order; images logged without a step keep their logging order.
      const sorted = list
        .map((image, i) => ({ image, i }))
        .sort(
          (a, b) =>
            (a.image.step ?? a.i) - (b.image.step ?? b.i) ||
            a.image.time - b.image.time
        )
        .map(x => x.image);
      let viewer = this._viewers.get(name);
      if (!viewer) {
        viewer = this._createViewer(name);
        this._viewers.set(name, viewer);
        this.node.append(viewer.box);
      }
      const atEnd =
        viewer.images.length === 0 ||
        Number(viewer.slider.value) === viewer.images.length - 1;
      viewer.images = sorted;
      viewer.slider.max = String(sorted.length - 1);
      viewer.slider.disabled = sorted.length < 2;
      if (atEnd) {
        viewer.slider.value = String(sorted.length - 1);
      }
      this._show(viewer);
    }
  }

  dispose(): void {
    for (const url of this._urls.values()) {
      URL.revokeObjectURL(url);
    }
    this._urls.clear();
    this._viewers.clear();
  }

  private _createViewer(name: string): Private.IViewer {
    const box = document.createElement('div');
    box.className = 'jp-Labbook-imageViewer';
    box.dataset.image = name;
    const head = document.createElement('div');
    head.className = 'jp-Labbook-imageName';
    head.textContent = name;
    const slider = document.createElement('input');
    slider.type = 'range';
    slider.min = '0';
    slider.step = '1';
    slider.className = 'jp-Labbook-imageSlider';
    slider.setAttribute('aria-label', this._trans.__('Step of %1', name));
    const label = document.createElement('div');
    label.className = 'jp-Labbook-imageStep';
    const img = document.createElement('img');
    img.className = 'jp-Labbook-image';
    img.alt = name;
    const caption = document.createElement('div');
    caption.className = 'jp-Labbook-imageCaption';
    box.append(head, slider, label, img, caption);
    const viewer: Private.IViewer = {
      box,
      slider,
      label,
      img,
      caption,
      images: [],
      shown: null
    };
    slider.addEventListener('input', () => this._show(viewer));
    return viewer;
  }

  private _show(viewer: Private.IViewer): void {
    const t = this._trans;
    const index = Math.min(
      Number(viewer.slider.value) || 0,
      viewer.images.length - 1
    );
    const image = viewer.images[index];
    if (!image) {
      return;
    }
    viewer.label.textContent =
      (image.step === null ? t.__('no step') : t.__('step %1', image.step)) +
      ` · ${index + 1}/${viewer.images.length}`;
    viewer.caption.textContent = image.caption ?? '';
    viewer.box.dataset.step = image.step === null ? '' : String(image.step);
    if (viewer.shown === image.id) {
      return;
    }
    viewer.shown = image.id;
    const cached = this._urls.get(image.id);
    if (cached) {
      viewer.img.src = cached;
      return;
    }
    void this._load(image).then(
      bytes => {
        const url = URL.createObjectURL(
          new Blob([bytes as BlobPart], { type: image.mime })
        );
        this._urls.set(image.id, url);
        if (viewer.shown === image.id) {
          viewer.img.src = url;
          viewer.img.title = '';
        }
      },
      error => {
        if (viewer.shown === image.id) {
          viewer.img.removeAttribute('src');
          viewer.img.title = String(error?.message ?? error);
          viewer.caption.textContent = t.__(
            'This image could not be read: %1',
            String(error?.message ?? error)
          );
        }
      }
    );
  }

  private _load: (image: ILoggedImage) => Promise<Uint8Array>;
  private _trans: TranslationBundle;
  private _viewers = new Map<string, Private.IViewer>();
  private _urls = new Map<string, string>();
}

export namespace ImageGallery {
  export interface IOptions {
    /** Read one image's bytes. */
    load: (image: ILoggedImage) => Promise<Uint8Array>;
    trans: TranslationBundle;
  }
}

namespace Private {
  export interface IViewer {
    box: HTMLDivElement;
    slider: HTMLInputElement;
    label: HTMLDivElement;
    img: HTMLImageElement;
    caption: HTMLDivElement;
    /** In step order. */
    images: ILoggedImage[];
    /** Id of the image shown. */
    shown: string | null;
  }
}
