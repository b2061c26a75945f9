/**
 * A class-transformer `@Transform` for flags sent as query strings or form fields: "true"/"1" and
 * "false"/"0" become booleans; anything else is left for `@IsBoolean()` to refuse by name.
 */
export const toBooleanFlag = ({ value }: { value: unknown }): unknown =>
  value === true || value === 'true' || value === '1'
    ? true
    : value === false || value === 'false' || value === '0'
      ? false
      : value;
