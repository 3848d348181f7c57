using SolidBms.Core.Loop;
using SolidBms.Core.Measurement;
using SolidBms.Core.Util;

namespace SolidBms.Core.Reporting
{
    /// <summary>
    /// The plain status line (protocol version 0, see docs/protocol.md): readable in a serial terminal,
    /// checked by an NMEA-style XOR checksum. Written into a fixed buffer, no allocation.
    /// $SBS,0,time_ms,state,soc_permille,current_mA,vmin_mV,vmax_mV,tmin_dC,tmax_dC,pmin_kPa,chg_lim_dA,dis_lim_dA,faults*CS
    /// </summary>
    public sealed class TelemetryLine
    {
        public const int ProtocolVersion = 0;

        private readonly AsciiWriter _writer = new AsciiWriter(256);

        public AsciiWriter Writer { get { return _writer; } }

        public void Format(long timeMs, BmsState state, float packSoc, PackMeasurement m, float chargeLimitA, float dischargeLimitA, int faultCount)
        {
            var w = _writer;
            w.Clear();
            w.Append("$SBS,");
            w.Append(ProtocolVersion);
            w.Append(',');
            w.Append(timeMs);
            w.Append(',');
            w.Append(BmsStateNames.Of(state));
            AppendScaled(packSoc, 1000f);
            AppendScaled(m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA : float.NaN, 1000f);
            AppendScaled(m.MinCellMillivolts(), 1f);
            AppendScaled(m.MaxCellMillivolts(), 1f);
            AppendScaled(m.MinTemperatureC(), 10f);
            AppendScaled(m.MaxTemperatureC(), 10f);
            AppendScaled(m.MinPressureKpa(), 1f);
            AppendScaled(chargeLimitA, 10f);
            AppendScaled(dischargeLimitA, 10f);
            w.Append(',');
            w.Append(faultCount);
            AppendChecksumAndEnd(w);
        }

        /// <summary>Integer field; an unknown value is an empty field, never a stale number.</summary>
        private void AppendScaled(float value, float scale)
        {
            _writer.Append(',');
            if (FastMath.IsBad(value)) return;
            float scaled = value * scale;
            _writer.Append((long)(scaled < 0 ? scaled - 0.5f : scaled + 0.5f));
        }

        /// <summary>Appends '*' and the XOR of every byte between '$' and '*', then CR LF.</summary>
        public static void AppendChecksumAndEnd(AsciiWriter w)
        {
            byte[] b = w.Buffer;
            int sum = 0;
            for (int i = 1; i < w.Length; i++) sum ^= b[i];
            w.Append('*');
            w.AppendHexByte(sum);
            w.Append('\r');
            w.Append('\n');
        }
    }
}
