using System;
using System.IO;
using System.Threading;

namespace SolidBms.Simulator.Run;

/// <summary>
/// The run CSV formatted and written on a second thread: the runner copies each row's values (<see cref="CsvRow"/>,
/// a few hundred bytes) and goes on with the next tick while the writer formats and writes the rows before. A 24 h
/// run writes 864,000 rows (350 MB); formatting them and the kernel's copy of the text took a fifth of the run on one
/// core, and the machine has two. The text is the same, byte for byte, as <see cref="CsvRecorder.WriteRow"/> writes.
/// Rows travel in blocks that circulate between the two threads (no allocation after the start, one hand-off per block);
/// the runner waits only when every block is full. A write error stops the writing and is thrown to the runner.
/// </summary>
public sealed class CsvPipeline : IDisposable
{
    private const int Blocks = 4, RowsPerBlock = 512;

    private readonly CsvRecorder _recorder;
    private readonly CsvRow[][] _rows = new CsvRow[Blocks][];
    private readonly int[] _filled = new int[Blocks]; // rows in a handed-over block; -1 marks the end of the run
    private readonly SemaphoreSlim _full = new(0, Blocks), _free = new(Blocks, Blocks);
    private readonly Thread _writer;
    private int _block, _row; // the runner's block and the next row in it
    private bool _completed;
    private volatile Exception _failure;

    public CsvPipeline(CsvRecorder recorder, int cells)
    {
        _recorder = recorder;
        for (int b = 0; b < Blocks; b++)
        {
            _rows[b] = new CsvRow[RowsPerBlock];
            for (int i = 0; i < RowsPerBlock; i++) _rows[b][i] = new CsvRow(cells);
        }
        _writer = new Thread(WriteBlocks) { IsBackground = true, Name = "csv writer" };
        _writer.Start();
    }

    /// <summary>Copies the runner's present tick into the next row.</summary>
    public void Add(ScenarioRunner r)
    {
        if (_failure != null) throw WriteError();
        if (_row == 0) _free.Wait(); // this block back from the writer
        CsvRecorder.Capture(r, _rows[_block][_row]);
        if (++_row == RowsPerBlock) HandOver(_row);
    }

    /// <summary>
    /// Writes what is left and waits for the writer. Called once, at the end or on a stop; with
    /// <paramref name="throwOnFailure"/> a failed write is thrown (not when another exception is already under way).
    /// </summary>
    public void Complete(bool throwOnFailure = true)
    {
        if (_completed) return;
        _completed = true;
        if (_row > 0) HandOver(_row);
        _free.Wait();
        HandOver(-1);
        _writer.Join();
        if (throwOnFailure && _failure != null) throw WriteError();
    }

    /// <summary>
    /// Hands the rows so far to the writer without waiting for a full block: a paced run makes a block's 512 rows in
    /// 51 s, and a kill should lose no more than the last second of them (the runner calls this once a wall second).
    /// </summary>
    public void Publish()
    {
        if (_row > 0 && !_completed) HandOver(_row);
    }

    private IOException WriteError() => new("the run CSV could not be written: " + _failure.Message, _failure);

    private void HandOver(int rows)
    {
        _filled[_block] = rows;
        _row = 0;
        _block = (_block + 1) % Blocks;
        _full.Release(); // publishes the rows (a full fence) to the writer
    }

    private void WriteBlocks()
    {
        for (int b = 0; ; b = (b + 1) % Blocks)
        {
            _full.Wait();
            int n = _filled[b];
            if (n < 0) return;
            if (_failure == null)
            {
                try
                {
                    for (int i = 0; i < n; i++) _recorder.Write(_rows[b][i]);
                    _recorder.Flush(); // each block's rows on disk as a whole (with a WholeRowFile: whole rows only)
                }
                catch (Exception e)
                {
                    _failure = e; // the runner sees it at its next row; the blocks keep circulating so nothing waits forever
                }
            }
            _free.Release();
        }
    }

    public void Dispose()
    {
        Complete(throwOnFailure: false); // a no-op after Complete; otherwise the run is being abandoned already
        _full.Dispose();
        _free.Dispose();
    }
}
