// The `vm` template function's data source: this VM's identity from IMDS (build), or known-shape
// placeholders (validate, which never calls IMDS).

/** Returns the value of a `vm` key: name, subscription_id, resource_group, location, zone, resource_id. */
export type VmLookup = (key: string) => string;
