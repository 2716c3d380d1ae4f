/**
 * The detail's snapshots: open, download, diff with the previous one, with
 * the live notebook, or with a snapshot picked in another experiment. Every
 * action is a command; the pick is kept across experiments.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { ISnapshotInfo } from '../../../core/model';
import { CommandIDs } from '../../commands';
import { el } from '../../ui/dom';
import { formatTime } from '../../ui/format';

export class SnapshotsSection {
  constructor(trans: TranslationBundle, commands: CommandRegistry) {
    this._trans = trans;
    this._commands = commands;
    this.title = el('h3', 'jp-Labbook-sectionTitle', trans.__('Snapshots'));
    this.node = el('div', 'jp-Labbook-snapshots');
  }

  readonly title: HTMLHeadingElement;
  readonly node: HTMLDivElement;

  /** Nothing shown (another experiment is being opened). */
  clear(): void {
    this.node.replaceChildren();
  }

  /** The snapshots of experiment `id` (named `name`), oldest first. */
  update(id: string, name: string, snapshots: readonly ISnapshotInfo[]): void {
    const t = this._trans;
    const rows = snapshots.map((s, i) => {
      const row = el('div', 'jp-Labbook-snapshot');
      row.dataset.snapshot = s.id;
      row.append(
        el('span', 'jp-Labbook-snapshotReason', t.__(s.reason)),
        el('span', '', formatTime(s.taken)),
        el('span', '', t._n('%1 cell', '%1 cells', s.cellCount))
      );
      const open = el(
        'button',
        'jp-mod-styled jp-Labbook-openSnapshot',
        t.__('Open')
      );
      open.addEventListener(
        'click',
        () =>
          void this._commands.execute(CommandIDs.openSnapshot, {
            id,
            snapshot: s.id
          })
      );
      const down = el(
        'button',
        'jp-mod-styled jp-Labbook-downloadSnapshot',
        t.__('Download')
      );
      down.addEventListener(
        'click',
        () =>
          void this._commands.execute(CommandIDs.downloadSnapshot, {
            id,
            snapshot: s.id
          })
      );
      row.append(open, down);
      // Compare with the snapshot before it, and with the notebook as it is now.
      const diffButton = (
        label: string,
        cls: string,
        title: string,
        run: () => void
      ) => {
        const b = el('button', `jp-mod-styled ${cls}`, label);
        b.title = title;
        b.addEventListener('click', run);
        return b;
      };
      if (i > 0) {
        row.append(
          diffButton(
            t.__('Diff previous'),
            'jp-Labbook-diffPrevious',
            t.__('Compare with the %1 snapshot', t.__(snapshots[i - 1].reason)),
            () =>
              void this._commands.execute(CommandIDs.diffSnapshots, {
                id,
                a: snapshots[i - 1].id,
                b: s.id
              })
          )
        );
      }
      // Across experiments: pick one snapshot, then diff another with it.
      const picked = this._picked;
      if (picked && !(picked.id === id && picked.snapshot === s.id)) {
        row.append(
          diffButton(
            t.__('Diff with picked'),
            'jp-Labbook-diffPicked',
            t.__('Compare with %1', picked.label),
            () =>
              void this._commands.execute(CommandIDs.diffSnapshots, {
                id: picked.id,
                a: picked.snapshot,
                idB: id,
                b: s.id
              })
          )
        );
      }
      const isPicked = picked?.id === id && picked.snapshot === s.id;
      const pick = diffButton(
        isPicked ? t.__('Picked') : t.__('Pick'),
        'jp-Labbook-pickSnapshot',
        t.__('Pick this snapshot to compare it with one of another experiment'),
        () => {
          this._picked = isPicked
            ? null
            : {
                id,
                snapshot: s.id,
                label: `${name} · ${t.__(s.reason)}`
              };
          this.update(id, name, snapshots);
        }
      );
      pick.classList.toggle('jp-mod-active', isPicked);
      row.append(pick);
      row.append(
        diffButton(
          t.__('Diff live'),
          'jp-Labbook-diffLive',
          t.__('Compare with the notebook as it is now'),
          () =>
            void this._commands.execute(CommandIDs.diffSnapshotLive, {
              id,
              snapshot: s.id
            })
        )
      );
      return row;
    });
    this.node.replaceChildren(
      ...(rows.length
        ? rows
        : [el('div', 'jp-Labbook-empty', t.__('No snapshots yet.'))])
    );
  }

  private _trans: TranslationBundle;
  private _commands: CommandRegistry;
  /** A snapshot picked to be compared with one of another experiment. */
  private _picked: { id: string; snapshot: string; label: string } | null =
    null;
}
