using SolidBms.Core.Lab;
using SolidBms.Core.Util;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// Streams the flash event log (EVENTS) or the held high-rate capture (CAPTURE DUMP) over the line port a
    /// few lines per tick, so a download of thousands of lines never stalls the loop or starves telemetry.
    /// One download at a time; each line is a normal "$SBR,2,OK,..." response with its CRC, the last one "end".
    /// </summary>
    public sealed class LabDownload
    {
        public const int None = 0, Events = 1, Capture = 2;

        /// <summary>Lines per tick: 6 lines of ~80 bytes at 10 Hz is ~4.8 kB/s, under half of 115200 baud.</summary>
        public const int LinesPerTick = 6;

        /// <summary>Flash slots read per tick: walking an almost empty 64 KiB log must not cost one long tick either.</summary>
        public const int SlotReadsPerTick = 64;

        private int _kind;
        private int _next;
        private int _sent;
        private int _captureGeneration; // the held window a capture download reads, -1 if it began before a freeze

        public bool Busy { get { return _kind != None; } }

        public void Start(int kind)
        {
            _kind = kind;
            _next = 0;
            _sent = 0;
        }

        /// <summary>Formats the next lines into the writer (cleared first); returns false when nothing is left.</summary>
        public bool Step(LabRecorder lab, int cells, AsciiWriter w)
        {
            w.Clear();
            if (_kind == None) return false;
            int lines = 0;
            if (_kind == Events)
            {
                EventLog log = lab == null ? null : lab.Log;
                int slots = log == null ? 0 : log.SlotCount;
                EventRecord r;
                int reads = 0;
                while (lines < LinesPerTick && _next < slots && reads++ < SlotReadsPerTick)
                {
                    if (log.TryReadRingSlot(_next++, out r)) { EventLine(w, r); lines++; }
                }
                if (_next >= slots) { EndLine(w, "EVENTS"); _kind = None; }
            }
            else
            {
                CaptureBuffer cap = lab == null ? null : lab.Capture;
                int count = cap == null ? 0 : cap.Count;
                if (_next == 0) _captureGeneration = cap != null && cap.Frozen ? cap.Generation : -1;
                while (lines < LinesPerTick && _next < count) { CaptureLine(w, cap, _next++, cells); lines++; }
                if (_next >= count)
                {
                    EndLine(w, "CAPTURE");
                    _kind = None;
                    // Read whole while held: a trip's window may now be released (CaptureBuffer.MayRelease).
                    if (cap != null && _captureGeneration >= 0) cap.MarkDownloaded(_captureGeneration);
                }
            }
            return w.Length > 0;
        }

        private void EventLine(AsciiWriter w, EventRecord r)
        {
            int start = LineProtocol.Begin(w, "SBR");
            w.Append(",OK,EV,");
            w.Append((long)r.Sequence); w.Append(',');
            w.Append(r.TimeMs); w.Append(',');
            w.Append((long)(int)r.Kind); w.Append(',');
            w.Append((long)r.WideCode); // 24 bits: the whole abuse-test mask, a refusal summary's kinds
            Field(w, r.MinCellMillivolts); Field(w, r.MaxCellMillivolts); Field(w, r.MaxTemperatureDeciC);
            Field(w, r.CurrentCentiA); Field(w, r.PressureKpa); Field(w, r.SocPermille);
            w.Append(','); w.Append((long)r.State);
            LineProtocol.End(w, start);
            _sent++;
        }

        private void CaptureLine(AsciiWriter w, CaptureBuffer cap, int k, int cells)
        {
            int start = LineProtocol.Begin(w, "SBR");
            w.Append(",OK,CAP,");
            w.Append((long)k); w.Append(',');
            w.Append(cap.TimeMsAt(k));
            Field(w, cap.CurrentCentiAAt(k)); Field(w, cap.MaxTemperatureDeciCAt(k)); Field(w, cap.PressureKpaAt(k));
            w.Append(','); w.Append((long)cap.StateAt(k));
            for (int c = 0; c < cells; c++) Field(w, cap.CellMillivoltsAt(k, c));
            LineProtocol.End(w, start);
            _sent++;
        }

        private void EndLine(AsciiWriter w, string what)
        {
            int start = LineProtocol.Begin(w, "SBR");
            w.Append(",OK,");
            w.Append(what);
            w.Append(",end,lines=");
            w.Append((long)_sent);
            LineProtocol.End(w, start);
        }

        /// <summary>An int16 reading; unknown (0x7FFF) is an empty field, never a number.</summary>
        private static void Field(AsciiWriter w, short v)
        {
            w.Append(',');
            if (v != EventRecord.Unknown) w.Append((long)v);
        }
    }
}
