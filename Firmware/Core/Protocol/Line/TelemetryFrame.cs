using SolidBms.Core.Loop;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;
using SolidBms.Core.Util;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// The periodic telemetry frame (docs/protocol.md, "Telemetry"): every cell's voltage and temperature,
    /// the stack pressures, current, SOC, limits, state, status word and active faults, in one checksummed
    /// line. Formatted into a fixed buffer: a frame allocates nothing.
    /// $SBT,2,seq,t_ms,unix_s,state,soc_pm,current_mA,pack_mV,chg_lim_mA,dis_lim_mA,status_hex,
    ///     V,n,mV..,T,n,dC..,P,m,kPa..,F,k,name..,X,inhibited|armed:MASK,B,bleeding,MASK16*CRC
    /// </summary>
    public sealed class TelemetryFrame
    {
        private readonly AsciiWriter _w;
        private readonly string[] _faultNames = new string[32];

        // The frame's fixed words as bytes, copied in one native call each (a string is a call a character on the
        // device's interpreter): the start as LineProtocol.Begin writes it, the group tags, the state names.
        private static readonly byte[] Start = StartBytes();
        private static readonly byte[] CellTag = AsciiWriter.Bytes(",V,"), TemperatureTag = AsciiWriter.Bytes(",T,"),
            PressureTag = AsciiWriter.Bytes(",P,"), FaultTag = AsciiWriter.Bytes(",F,"), AbuseTag = AsciiWriter.Bytes(",X,"),
            Inhibited = AsciiWriter.Bytes("inhibited"), BalancingTag = AsciiWriter.Bytes(",B,"),
            NoCellBleeding = AsciiWriter.Bytes("0000000000000000");
        private static readonly byte[][] StateNames = StateNameBytes();

        private static byte[] StartBytes()
        {
            var w = new AsciiWriter(16);
            LineProtocol.Begin(w, "SBT");
            var start = new byte[w.Length];
            System.Array.Copy(w.Buffer, 0, start, 0, start.Length);
            return start;
        }

        private static byte[][] StateNameBytes()
        {
            var names = new byte[BmsStateNames.Count][];
            for (int i = 0; i < names.Length; i++) names[i] = AsciiWriter.Bytes(BmsStateNames.OfCode(i));
            return names;
        }

        public TelemetryFrame(int cellCount, int stackCount)
        {
            // Fixed part ~110 bytes, up to 7 per cell voltage, 7 per temperature, 7 per stack, 32 fault names of <= 32.
            _w = new AsciiWriter(160 + cellCount * 14 + stackCount * 7 + 32 * 33 + 24); // + B group
        }

        public AsciiWriter Writer { get { return _w; } }

        public void Format(BmsController c, long seq, long timeMs, long unixS, int status, bool abuseArmed, uint abuseMask)
        {
            var w = _w;
            w.Clear();
            w.Append(Start); // LineProtocol.Begin(w, "SBT"), prepared
            w.Append(','); w.Append(seq);
            w.Append(','); w.Append(timeMs);
            w.Append(','); if (unixS >= 0) w.Append(unixS);
            w.Append(','); w.Append(StateNames[(int)c.State]);
            PackMeasurement m = c.Measurement;
            SafetySupervisor s = c.Supervisor;
            Scaling.AppendField(w, c.Estimator.PackSoc, 1000f);
            Scaling.AppendField(w, m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA : float.NaN, 1000f);
            Scaling.AppendField(w, s.PackMillivolts, 1f); // the tick's sum, from the protect stage
            Scaling.AppendField(w, c.ChargeLimitA, 1000f); // min(supervisor, state of power)
            Scaling.AppendField(w, c.DischargeLimitA, 1000f);
            w.Append(',');
            w.AppendHexByte(status >> 8);
            w.AppendHexByte(status & 0xFF);

            int cells = m.CellCount, stacks = m.StackCount;
            w.Append(CellTag); w.Append(cells);
            w.AppendReadings(m.CellMillivolts, m.CellVoltageStatus, cells, 1f);
            w.Append(TemperatureTag); w.Append(cells);
            w.AppendReadings(m.CellTemperatureC, m.CellTemperatureStatus, cells, 10f);
            w.Append(PressureTag); w.Append(stacks);
            w.AppendReadings(m.StackPressureKpa, m.StackPressureStatus, stacks, 1f);
            int faults = c.CopyFaultNames(_faultNames);
            w.Append(FaultTag); w.Append(faults);
            for (int i = 0; i < faults; i++) { w.Append(','); w.Append(_faultNames[i]); }
            w.Append(AbuseTag);
            if (abuseArmed)
            {
                w.Append("armed:");
                w.AppendHex(abuseMask);
            }
            else w.Append(Inhibited);
            // Balancing: cells bleeding and their mask (16 hex digits, bit i = cell i + 1); 0 on a rig without bleed hardware.
            var b = c.Balancer;
            ulong mask = b != null ? b.ActiveMask : 0UL;
            w.Append(BalancingTag); w.Append(b != null ? b.ActiveCount : 0); w.Append(',');
            if (mask == 0) w.Append(NoCellBleeding); // nearly every frame: one native copy, not sixteen digits
            else
            {
                w.AppendHex((uint)(mask >> 32));
                w.AppendHex((uint)mask);
            }
            LineProtocol.End(w, 0);
        }
    }
}
