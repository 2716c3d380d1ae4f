// Extra webpack configuration for `npm run build:labextension`, merged by
// @jupyterlab/builder: the kernel-side Python module is bundled as text.
module.exports = {
  module: {
    rules: [{ test: /\.py$/, type: 'asset/source' }]
  }
};
