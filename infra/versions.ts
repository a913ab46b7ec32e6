/**
 * The pinned versions of the local servers. The install cache is keyed by these, so a
 * bump installs the new version beside the old one; docker-compose.yml pins the same.
 */
export const VERSIONS = {
  kafka: '4.1.2',
  versitygw: 'v1.7.0',
  prometheus: '2.42.0+ds-5+deb12u1',
} as const;
