/** Placeholder: the register tables are written on the pg-register branch. */
export const REGISTER_DDL: readonly string[] = [];
