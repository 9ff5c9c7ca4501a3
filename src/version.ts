// azchroot's version, and the Packer version templates see (`packer.version`, `{{packer_version}}`,
// `packer { required_version }`, `min_packer_version`): the newest Packer whose template language
// azchroot implements. 1.7.2 brings, over 1.6.6: regex/regexall, `local` blocks and sensitive
// locals, required_plugins (1.7.0), templatefile, legacy_isotime and dynamic blocks in build
// (1.7.1), and the HCL2 `error-cleanup-provisioner` block (1.7.0); 1.7.2 changed no template
// language. Not implemented from 1.7.0: `data` blocks (refused with an "unsupported block" error).
export const VERSION = '0.1.0';
export const PACKER_COMPAT_VERSION = '1.7.2';
