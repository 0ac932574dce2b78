/** The terminal's size, following resizes; fixed when the caller gives both numbers (tests). */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function useTerminalSize(fixedColumns?: number, fixedRows?: number): TerminalSize {
  const { stdout } = useStdout();
  const read = (): TerminalSize => ({
    columns: fixedColumns ?? (stdout.columns || 80),
    rows: fixedRows ?? (stdout.rows || 24),
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixedColumns !== undefined && fixedRows !== undefined) {
      setSize((s) => (s.columns === fixedColumns && s.rows === fixedRows ? s : { columns: fixedColumns, rows: fixedRows }));
      return;
    }
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, fixedColumns, fixedRows]);
  return size;
}
