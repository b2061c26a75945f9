import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import OutlinedInput from '@mui/material/OutlinedInput';
import type { InputHTMLAttributes } from 'react';

/**
 * MUI's TextField without its Select and other variants, which cost the task page about 10 KB of
 * compressed JavaScript: the label, the outlined input and the helper text, tied together by ids.
 */
export function TextInput({
  id,
  label,
  value,
  onChange,
  helperText,
  error = false,
  required = false,
  multiline = false,
  minRows,
  type = 'text',
  inputProps,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  helperText?: string;
  error?: boolean;
  required?: boolean;
  multiline?: boolean;
  minRows?: number;
  type?: string;
  inputProps?: InputHTMLAttributes<HTMLInputElement>;
}) {
  const helperId = helperText ? `${id}-helper-text` : undefined;
  return (
    <FormControl error={error} required={required} fullWidth>
      <InputLabel htmlFor={id}>{label}</InputLabel>
      <OutlinedInput
        id={id}
        label={`${label}${required ? ' *' : ''}`}
        type={type}
        value={value}
        multiline={multiline}
        minRows={minRows}
        onChange={(event) => onChange(event.target.value)}
        inputProps={{ ...inputProps, 'aria-describedby': helperId }}
      />
      {helperText && <FormHelperText id={helperId}>{helperText}</FormHelperText>}
    </FormControl>
  );
}
