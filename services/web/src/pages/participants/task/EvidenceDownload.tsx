import Button from '@mui/material/Button';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useAuth } from '../../../auth/AuthProvider';

/**
 * Downloads an evidence file: the API wants the token, which a plain link cannot carry, so the file
 * is fetched and handed to the browser as a download.
 */
export function EvidenceDownload({
  reportId,
  sha256,
  name,
}: {
  reportId: string;
  sha256: string;
  name: string;
}) {
  const intl = useIntl();
  const { accessToken } = useAuth();
  const [failed, setFailed] = useState(false);
  const download = async () => {
    setFailed(false);
    try {
      const token = await accessToken();
      const response = await fetch(`/api/actions/progress-reports/${reportId}/evidence/${sha256}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      setFailed(true);
    }
  };
  return (
    <>
      <Button
        size="small"
        onClick={() => void download()}
        aria-label={intl.formatMessage({ id: 'evidence.downloadOf' }, { name })}
      >
        <FormattedMessage id="evidence.download" />
      </Button>
      {failed && (
        <span role="alert">
          <FormattedMessage id="evidence.downloadFailed" />
        </span>
      )}
    </>
  );
}
