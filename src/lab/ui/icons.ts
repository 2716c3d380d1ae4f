import { LabIcon } from '@jupyterlab/ui-components';
import labbookSvg from '../../../style/icons/labbook.svg';

/** The Labbook icon: side-panel tab, launcher, status bar. */
export const labbookIcon = new LabIcon({
  name: 'labbook:icon',
  svgstr: labbookSvg
});
