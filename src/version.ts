// azchroot's version, and the Packer version templates see (`packer.version`, `{{packer_version}}`).
export const VERSION = '0.1.0';
export const PACKER_COMPAT_VERSION = '1.6.6';
