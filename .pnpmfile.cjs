// pnpm hooks for the workspace.
//
// beforePacking: the package.json that `pnpm pack` / `pnpm publish` put in a tarball carries
// no devDependencies. They are of no use to someone who installs the package, and some name
// private workspace packages (@hone/doc-examples) that are not on the registry.
module.exports = {
  hooks: {
    beforePacking(pkg) {
      delete pkg.devDependencies;
      return pkg;
    },
  },
};
