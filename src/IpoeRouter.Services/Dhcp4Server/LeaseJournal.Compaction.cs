using System.Text;
using System.Text.Json;

namespace IpoeRouter.Services.Dhcp4Server;

public sealed partial class LeaseJournal
{
    /// <summary>Rewrites the journal as one line per live lease. A failure leaves the journal as it was.</summary>
    private void Compact()
    {
        string tmp = _path + ".tmp";
        long length;
        try
        {
            File.Delete(tmp); // a leftover of a crash keeps its old mode; the new one is created 0600
            using (FileStream snapshot = _openFile(tmp, FileMode.Create))
            {
                snapshot.SetLength(0);
                _buffer.SetLength(0);
                foreach (Dhcp4Lease lease in _onDisk.All)
                {
                    LeaseJournalFormat.WriteLine(_buffer, new Dhcp4LeaseChange(lease.Address, lease));
                }

                snapshot.Write(_buffer.GetBuffer(), 0, (int)_buffer.Length);
                snapshot.Flush(flushToDisk: true);
                length = _buffer.Length;
            }

            File.Move(tmp, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(tmp);
            }
            catch (Exception d) when (d is IOException or UnauthorizedAccessException)
            {
                // left behind; the next compaction overwrites it
            }

            return;
        }

        // The old handle points at the replaced file; the next commit opens the snapshot.
        DropStream();
        _length = length;
        _lines = _live;
        Interlocked.Increment(ref _compactions);
        Linux.Io.DirectorySync.Sync(System.IO.Path.GetDirectoryName(_path)!);
    }
}
