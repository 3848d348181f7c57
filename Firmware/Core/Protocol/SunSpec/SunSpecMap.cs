using SolidBms.Core.Actuation;
using SolidBms.Core.Loop;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// The SunSpec chain in the holding registers from 40000 (docs/modbus-register-map.md, "SunSpec"): the
    /// marker "SunS", model 1 (Common), model 802 (Battery Base), model 805 (Lithium-Ion Module: the pack is
    /// one string of one module, and 805 is the model with per-cell voltages and temperatures, their
    /// min/max/average and cell numbers) and the end marker 0xFFFF/0. The map is data: the constructor lays
    /// out the points in the models' order (names, types, sizes, scale-factor references and access as in
    /// SunSpec's definitions, which SunSpecModelTests compares point by point); reading a register looks up
    /// its point in a table built once, so serving the chain allocates nothing. Points the firmware has no
    /// value for read SunSpec's "not implemented" value of their type.
    /// </summary>
    public sealed class SunSpecMap
    {
        public const int Base = 40000;
        /// <summary>Every cell of the largest pack the board file allows: 64 cells still fit 4 reads of 125 (436 registers).</summary>
        public const int MaxCells = ModbusRegisterMap.MaxCells;

        // Point types (SunSpec's names in TypeName).
        public const int TUint16 = 0, TInt16 = 1, TEnum16 = 2, TUint32 = 3, TBitfield32 = 4, TString = 5, TSunssf = 6, TPad = 7;
        private static readonly string[] TypeNames = { "uint16", "int16", "enum16", "uint32", "bitfield32", "string", "sunssf", "pad" };

        // Value sources: what a point reads. Scaled ones are in the point's unit (V, A, W, %, C, Ah, Wh).
        private const int SConst = 0, SNotImpl = 1, SMn = 2, SMd = 3, SOpt = 4, SVr = 5, SDa = 6,
            SAhRtg = 7, SWhRtg = 8, SWChaMax = 9, SWDisChaMax = 10, SSoc = 11, SSoh = 12, SChaSt = 13, SZero = 14,
            SState = 15, SStateVnd = 16, SEvt1 = 17, STrips = 18, SAlarms = 19, SVolts = 20, SCellVMax = 21, SCellVMaxCell = 22,
            SCellVMin = 23, SCellVMinCell = 24, SCellVAvg = 25, SAmps = 26, SAChaMax = 27, SADisChaMax = 28, SWatts = 29,
            SSetOp = 30, SNCell = 31, STmpMax = 32, STmpMaxCell = 33, STmpMin = 34, STmpMinCell = 35, STmpAvg = 36,
            SNCellBal = 37, SCellV = 38, SCellTmp = 39, SSn = 40, SHb = 41, SDod = 42;

        /// <summary>What a write to a point does (ModbusRegisterMap.WriteHoldings): nothing but a refusal, or an action.</summary>
        public const int WriteNone = 0, WriteRefused = 1, WriteAlarmReset = 2, WriteSetOperation = 3;

        // Scale factors (10^sf): chosen so the full range of a 1-64 cell pack fits its register (docs).
        public const int SfAh = -1, SfWh = 0, SfW = 1, SfSoc = -1, SfV = -2, SfCellV = -3, SfA = -1, SfTmp = -1;

        /// <summary>
        /// Evt1 bits (SunSpec 802) per supervisor fault class (FaultBits numbering: LimitProfile.All() order,
        /// then the sensor classes): the bit set at alarm or a latched trip, and the bit set at warning; -1 none.
        /// </summary>
        private static readonly sbyte[] AlarmBit =
        {
            9, 11, 5, 7, 1, 3, 1, 3,       // cell OV, UV, charge OC, discharge OC, charge OT, UT, discharge OT, UT
            25, 25, 25, 25,               // stack pressure low, high, rate; cell imbalance (802 has no imbalance alarm)
            9, 11, 7, 1, 5, 25, 25,       // pack OV, UV, short circuit, temperature rise, charge above limit, R0 growth, loop late
            0, 0, 0, 0,                   // sensor classes: a lost measurement (cell voltage, temperature, current, pressure)
        };
        private static readonly sbyte[] WarningBit =
        {
            10, 12, 6, 8, 2, 4, 2, 4,
            26, 26, 26, 17,
            10, 12, 8, 2, 6, 26, 26,
            26, 26, 26, 26,
        };
        private const int ContactorErrorBit = 20;

        /// <summary>
        /// Room for the points that are not per cell (98: the models' points, their ID and L, the scale factors, the end
        /// marker); each cell adds <see cref="PointsPerCell"/>. The tables are sized for the board's cells, not the
        /// largest pack (on the ESP32's heap every array element of a table is paid for, used or not).
        /// </summary>
        private const int FixedPoints = 100, PointsPerCell = 3;
        private string[] _name;                // point names while the constructor resolves the scale factors, then
                                               // dropped (1.8 KiB and ~150 string objects the device never reads);
                                               // PointName makes them again
        private readonly byte[] _type;
        private readonly byte[] _size;
        private readonly short[] _offset;
        private readonly short[] _sf;          // index of the scale-factor point, -1 none
        private string[] _sfName;              // the scale factors by name while the constructor resolves them, then dropped
        private readonly byte[] _src;
        private readonly int[] _arg;           // constant value, or the cell index
        private readonly byte[] _write;
        private readonly byte[] _modelOf;
        private readonly float[] _scale;
        private readonly int[] _modelStart = new int[4];
        private readonly int[] _modelId = new int[4];
        private short[] _pointAt;
        private int _points, _length, _models;

        private readonly BmsController _c;
        private readonly int _address;
        private readonly int _cells;
        private readonly string _model, _options;

        public SunSpecMap(BmsController controller, int address) : this(controller, address, false) { }

        private SunSpecMap(BmsController controller, int address, bool keepNames)
        {
            _c = controller;
            _address = address;
            _cells = controller.Board.CellCount < MaxCells ? controller.Board.CellCount : MaxCells;
            _model = controller.Board.Name;
            _options = controller.Board.CellModelName;
            int capacity = FixedPoints + PointsPerCell * _cells;
            _name = new string[capacity];
            _type = new byte[capacity];
            _size = new byte[capacity];
            _offset = new short[capacity];
            _sf = new short[capacity];
            _sfName = new string[capacity];
            _src = new byte[capacity];
            _arg = new int[capacity];
            _write = new byte[capacity];
            _modelOf = new byte[capacity];
            _scale = new float[capacity];

            Add("SunS", TUint32, 2, null, SConst, 0x53756E53, WriteNone);
            Model(1);
            Add("Mn", TString, 16, null, SMn, 0, WriteNone);
            Add("Md", TString, 16, null, SMd, 0, WriteNone);
            Add("Opt", TString, 8, null, SOpt, 0, WriteNone);
            Add("Vr", TString, 8, null, SVr, 0, WriteNone);
            Add("SN", TString, 16, null, SSn, 0, WriteNone);       // board file [board] serialNumber; all zero without
            Add("DA", TUint16, 1, null, SDa, 0, WriteRefused);     // the address comes from board.ini only
            Add("Pad", TPad, 1, null, SNotImpl, 0, WriteNone);
            EndModel();

            Model(802);
            Add("AHRtg", TUint16, 1, "AHRtg_SF", SAhRtg, 0, WriteNone);
            Add("WHRtg", TUint16, 1, "WHRtg_SF", SWhRtg, 0, WriteNone);
            Add("WChaRteMax", TUint16, 1, "WChaDisChaMax_SF", SWChaMax, 0, WriteNone);
            Add("WDisChaRteMax", TUint16, 1, "WChaDisChaMax_SF", SWDisChaMax, 0, WriteNone);
            Add("DisChaRte", TUint16, 1, "DisChaRte_SF", SNotImpl, 0, WriteNone);
            Add("SoCMax", TUint16, 1, "SoC_SF", SNotImpl, 0, WriteNone);
            Add("SoCMin", TUint16, 1, "SoC_SF", SNotImpl, 0, WriteNone);
            Add("SocRsvMax", TUint16, 1, "SoC_SF", SNotImpl, 0, WriteRefused); // reserves are the energy manager's
            Add("SoCRsvMin", TUint16, 1, "SoC_SF", SNotImpl, 0, WriteRefused);
            Add("SoC", TUint16, 1, "SoC_SF", SSoc, 0, WriteNone);
            Add("DoD", TUint16, 1, "DoD_SF", SDod, 0, WriteNone);
            Add("SoH", TUint16, 1, "SoH_SF", SSoh, 0, WriteNone);
            Add("NCyc", TUint32, 2, null, SNotImpl, 0, WriteNone);
            Add("ChaSt", TEnum16, 1, null, SChaSt, 0, WriteNone);
            Add("LocRemCtl", TEnum16, 1, null, SConst, 0, WriteNone); // REMOTE: SetOp is obeyed (with the key, under the supervisor)
            Add("Hb", TUint16, 1, null, SHb, 0, WriteNone);
            Add("CtrlHb", TUint16, 1, null, SNotImpl, 0, WriteRefused);
            Add("AlmRst", TUint16, 1, null, SZero, 0, WriteAlarmReset);
            Add("Typ", TEnum16, 1, null, SConst, 4, WriteNone);       // LITHIUM_ION
            Add("State", TEnum16, 1, null, SState, 0, WriteNone);
            Add("StateVnd", TEnum16, 1, null, SStateVnd, 0, WriteNone);
            Add("WarrDt", TUint32, 2, null, SNotImpl, 0, WriteNone);
            Add("Evt1", TBitfield32, 2, null, SEvt1, 0, WriteNone);
            Add("Evt2", TBitfield32, 2, null, SConst, 0, WriteNone);
            Add("EvtVnd1", TBitfield32, 2, null, STrips, 0, WriteNone);  // latched trips, FaultBits numbering
            Add("EvtVnd2", TBitfield32, 2, null, SAlarms, 0, WriteNone); // classes at alarm
            Add("V", TUint16, 1, "V_SF", SVolts, 0, WriteNone);
            Add("VMax", TUint16, 1, "V_SF", SVolts, 0, WriteNone); // one string: the bank's max and min are its voltage
            Add("VMin", TUint16, 1, "V_SF", SVolts, 0, WriteNone);
            Add("CellVMax", TUint16, 1, "CellV_SF", SCellVMax, 0, WriteNone);
            Add("CellVMaxStr", TUint16, 1, null, SConst, 1, WriteNone);
            Add("CellVMaxMod", TUint16, 1, null, SConst, 1, WriteNone);
            Add("CellVMin", TUint16, 1, "CellV_SF", SCellVMin, 0, WriteNone);
            Add("CellVMinStr", TUint16, 1, null, SConst, 1, WriteNone);
            Add("CellVMinMod", TUint16, 1, null, SConst, 1, WriteNone);
            Add("CellVAvg", TUint16, 1, "CellV_SF", SCellVAvg, 0, WriteNone);
            Add("A", TInt16, 1, "A_SF", SAmps, 0, WriteNone);
            Add("AChaMax", TUint16, 1, "AMax_SF", SAChaMax, 0, WriteNone);
            Add("ADisChaMax", TUint16, 1, "AMax_SF", SADisChaMax, 0, WriteNone);
            Add("W", TInt16, 1, "W_SF", SWatts, 0, WriteNone);
            Add("ReqInvState", TEnum16, 1, null, SNotImpl, 0, WriteNone);
            Add("ReqW", TInt16, 1, "W_SF", SNotImpl, 0, WriteNone);
            Add("SetOp", TEnum16, 1, null, SSetOp, 0, WriteSetOperation); // disconnect opens; connect only ends the hold
            Add("SetInvState", TEnum16, 1, null, SNotImpl, 0, WriteRefused);
            Sf("AHRtg_SF", SfAh); Sf("WHRtg_SF", SfWh); Sf("WChaDisChaMax_SF", SfW); Sf("DisChaRte_SF", int.MinValue);
            Sf("SoC_SF", SfSoc); Sf("DoD_SF", SfSoc); Sf("SoH_SF", SfSoc); Sf("V_SF", SfV); Sf("CellV_SF", SfCellV);
            Sf("A_SF", SfA); Sf("AMax_SF", SfA); Sf("W_SF", SfW);
            EndModel();

            Model(805);
            Add("StrIdx", TUint16, 1, null, SConst, 1, WriteNone);
            Add("ModIdx", TUint16, 1, null, SConst, 1, WriteNone);
            Add("NCell", TUint16, 1, null, SNCell, 0, WriteNone);
            Add("SoC", TUint16, 1, "SoC_SF", SSoc, 0, WriteNone);
            Add("DoD", TUint16, 1, "DoD_SF", SDod, 0, WriteNone);
            Add("SoH", TUint16, 1, "SoH_SF", SSoh, 0, WriteNone);
            Add("NCyc", TUint32, 2, null, SNotImpl, 0, WriteNone);
            Add("V", TUint16, 1, "V_SF", SVolts, 0, WriteNone);
            Add("CellVMax", TUint16, 1, "CellV_SF", SCellVMax, 0, WriteNone);
            Add("CellVMaxCell", TUint16, 1, null, SCellVMaxCell, 0, WriteNone);
            Add("CellVMin", TUint16, 1, "CellV_SF", SCellVMin, 0, WriteNone);
            Add("CellVMinCell", TUint16, 1, null, SCellVMinCell, 0, WriteNone);
            Add("CellVAvg", TUint16, 1, "CellV_SF", SCellVAvg, 0, WriteNone);
            Add("CellTmpMax", TInt16, 1, "Tmp_SF", STmpMax, 0, WriteNone);
            Add("CellTmpMaxCell", TUint16, 1, null, STmpMaxCell, 0, WriteNone);
            Add("CellTmpMin", TInt16, 1, "Tmp_SF", STmpMin, 0, WriteNone);
            Add("CellTmpMinCell", TUint16, 1, null, STmpMinCell, 0, WriteNone);
            Add("CellTmpAvg", TInt16, 1, "Tmp_SF", STmpAvg, 0, WriteNone);
            Add("NCellBal", TUint16, 1, null, SNCellBal, 0, WriteNone);
            Add("SN", TString, 16, null, SSn, 0, WriteNone); // the pack is the module: the board's serial number
            Sf("SoC_SF", SfSoc); Sf("SoH_SF", SfSoc); Sf("DoD_SF", SfSoc); Sf("V_SF", SfV); Sf("CellV_SF", SfCellV); Sf("Tmp_SF", SfTmp);
            for (int i = 0; i < _cells; i++)
            {
                Add("CellV", TUint16, 1, "CellV_SF", SCellV, i, WriteNone);
                Add("CellTmp", TInt16, 1, "Tmp_SF", SCellTmp, i, WriteNone);
                Add("CellSt", TBitfield32, 2, null, SNotImpl, i, WriteNone);
            }
            EndModel();
            Add("End", TUint16, 1, null, SConst, 0xFFFF, WriteNone);
            Add("EndL", TUint16, 1, null, SConst, 0, WriteNone);

            _pointAt = new short[_length];
            for (int p = 0; p < _points; p++)
                for (int w = 0; w < _size[p]; w++) _pointAt[_offset[p] + w] = (short)p;
            for (int p = 0; p < _points; p++)
                _scale[p] = _sf[p] < 0 || _arg[_sf[p]] == int.MinValue ? 1f : Pow10(-_arg[_sf[p]]);
            _sfName = null; // resolved into _sf
            if (!keepNames) _name = null;
        }

        // ---- the layout (constructor only) ----

        private void Model(int id)
        {
            _modelStart[_models] = _length;
            _modelId[_models] = id;
            Add("ID", TUint16, 1, null, SConst, id, WriteNone);
            Add("L", TUint16, 1, null, SConst, 0, WriteNone); // set by EndModel
        }

        /// <summary>Fills in L and resolves the model's scale-factor references (the factors follow their points).</summary>
        private void EndModel()
        {
            int start = _modelStart[_models], first = -1;
            for (int p = 0; p < _points; p++) if (_offset[p] == start) first = p; // the model's ID; L follows
            _arg[first + 1] = _length - start - 2;
            for (int p = first; p < _points; p++)
            {
                if (_sfName[p] == null) continue;
                for (int q = first; q < _points; q++) if (_type[q] == TSunssf && _name[q] == _sfName[p]) _sf[p] = (short)q;
                if (_sf[p] < 0) throw new System.InvalidOperationException(_sfName[p]); // a typo in the table
            }
            _models++;
        }

        private void Add(string name, int type, int size, string sf, int src, int arg, int write)
        {
            int p = _points++;
            _name[p] = name;
            _type[p] = (byte)type;
            _size[p] = (byte)size;
            _offset[p] = (short)_length;
            _src[p] = (byte)src;
            _arg[p] = arg;
            _write[p] = (byte)write;
            _modelOf[p] = (byte)_models;
            _sfName[p] = sf;
            _sf[p] = -1;
            _length += size;
        }

        /// <summary>A scale-factor point; int.MinValue = not implemented (0x8000): its points then read not implemented.</summary>
        private void Sf(string name, int exponent) { Add(name, TSunssf, 1, null, SConst, exponent, WriteNone); }

        private static float Pow10(int e)
        {
            float f = 1f;
            for (int i = 0; i < e; i++) f *= 10f;
            for (int i = 0; i > e; i--) f /= 10f;
            return f;
        }

        // ---- the layout, for the register map, the tests and the docs ----

        /// <summary>Registers from <see cref="Base"/> to the end marker inclusive.</summary>
        public int Length { get { return _length; } }
        public int PointCount { get { return _points; } }
        public string PointName(int p) { return Names()[p]; }
        public string PointType(int p) { return TypeNames[_type[p]]; }
        public int PointSize(int p) { return _size[p]; }
        public int PointRegister(int p) { return Base + _offset[p]; }
        public bool PointWritable(int p) { return _write[p] != WriteNone; }
        /// <summary>Name of the point's scale factor, null if it has none.</summary>
        public string PointScaleFactor(int p) { return _sf[p] < 0 ? null : Names()[_sf[p]]; }

        /// <summary>The point names, laid out once more (the tests', the docs' and a host tool's question, not the device's).</summary>
        private string[] Names()
        {
            if (_name == null) _name = new SunSpecMap(_c, _address, true)._name;
            return _name;
        }
        /// <summary>Model index of a point (0 = marker and model 1 ... ); the end marker after the last model.</summary>
        public int PointModel(int p) { return _modelOf[p]; }
        public int ModelCount { get { return _models; } }
        public int ModelId(int m) { return _modelId[m]; }
        public int ModelRegister(int m) { return Base + _modelStart[m]; }

        public bool Contains(int start, int count) { return start >= Base && start + count <= Base + _length; }

        /// <summary>The point holding a register of the chain.</summary>
        public int PointAt(int register) { return _pointAt[register - Base]; }

        /// <summary>What a write to the point at <paramref name="register"/> does (WriteNone: read-only).</summary>
        public int WriteKind(int register) { return _write[PointAt(register)]; }

        /// <summary>The first register of a point, for single-register writes (every writable point is one register).</summary>
        public bool StartsPoint(int register) { return _offset[PointAt(register)] == register - Base; }

        // ---- values ----

        /// <summary>The 16-bit word at a register of the chain (<see cref="Contains"/> checked by the caller).</summary>
        public int Read(int register)
        {
            int p = _pointAt[register - Base];
            int word = register - Base - _offset[p];
            switch (_type[p])
            {
                case TString: return StringWord(p, word);
                case TPad: return Scaling.SignedUnknown;
                case TSunssf: return _arg[p] == int.MinValue ? Scaling.SignedUnknown : _arg[p] & 0xFFFF;
                case TUint32:
                case TBitfield32:
                    double v = Value(p);
                    if (double.IsNaN(v)) return 0xFFFF; // 0xFFFFFFFF: not implemented
                    uint u = (uint)(long)v;
                    return word == 0 ? (int)(u >> 16) : (int)(u & 0xFFFF);
                default:
                    float f = (float)Value(p);
                    if (_sf[p] >= 0 && _arg[_sf[p]] == int.MinValue) f = float.NaN;
                    return _type[p] == TInt16 ? Scaling.ToSigned(f, _scale[p]) : Scaling.ToUnsigned(f, _scale[p]);
            }
        }

        private int StringWord(int p, int word)
        {
            string s;
            switch (_src[p])
            {
                case SMn: s = "SolidBms"; break;
                case SMd: s = _model; break;
                case SOpt: s = _options; break;
                case SVr: s = FirmwareRelease.Version; break;
                case SSn: s = _c.Board.SerialNumber; break;
                default: return 0; // not implemented: all zero
            }
            return (Char(s, 2 * word) << 8) | Char(s, 2 * word + 1);
        }

        private static int Char(string s, int i) { return s != null && i < s.Length && s[i] < 128 ? s[i] : 0; }

        /// <summary>A point's value in its unit, NaN when unknown or not implemented.</summary>
        private double Value(int p)
        {
            PackMeasurement m = _c.Measurement;
            SafetySupervisor s = _c.Supervisor;
            int a = _arg[p];
            switch (_src[p])
            {
                case SConst: return a;
                case SZero: return 0;
                case SDa: return _address;
                case SAhRtg: return _c.Cell.CapacityAh;
                case SWhRtg: return _c.Cell.CapacityAh * NominalVolts();
                case SWChaMax: return _c.Cell.Ratings.MaxChargeCurrentA * NominalVolts();
                case SWDisChaMax: return _c.Cell.Ratings.MaxDischargeCurrentA * NominalVolts();
                case SSoc: return _c.Estimator.PackSoc * 100f;
                case SDod: return 100f - _c.Estimator.PackSoc * 100f;
                case SHb: return (m.TimestampMs / 1000) & 0xFFFF; // seconds since start-up, wrapping: a frozen loop stops it
                case SSoh: return StateOfHealth();
                case SChaSt: return ChargeState();
                case SState: return State();
                case SStateVnd: return (int)_c.State;
                case SEvt1: return Evt1(s);
                case STrips: return FaultBits.Trips(s);
                case SAlarms: return FaultBits.AtLevel(s, LevelMonitor.Alarm);
                case SVolts: return m.PackMillivolts() / 1000f;
                case SCellVMax: return m.MaxCellMillivolts() / 1000f;
                case SCellVMin: return m.MinCellMillivolts() / 1000f;
                case SCellVAvg: return PackMeasurement.Average(m.CellMillivolts, m.CellVoltageStatus) / 1000f;
                case SCellVMaxCell: return CellNumber(PackMeasurement.ExtremeIndex(m.CellMillivolts, m.CellVoltageStatus, true));
                case SCellVMinCell: return CellNumber(PackMeasurement.ExtremeIndex(m.CellMillivolts, m.CellVoltageStatus, false));
                case SAmps: return m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA : float.NaN;
                case SWatts: return m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA * m.PackMillivolts() / 1000f : float.NaN;
                case SAChaMax: return _c.ChargeLimitA;
                case SADisChaMax: return _c.DischargeLimitA;
                case SSetOp: return _c.OperatorDisconnect ? 2 : 1; // the last request (DISCONNECT holds), not the contactor: State has that
                case SNCell: return _cells;
                case STmpMax: return m.MaxTemperatureC();
                case STmpMin: return m.MinTemperatureC();
                case STmpAvg: return PackMeasurement.Average(m.CellTemperatureC, m.CellTemperatureStatus);
                case STmpMaxCell: return CellNumber(PackMeasurement.ExtremeIndex(m.CellTemperatureC, m.CellTemperatureStatus, true));
                case STmpMinCell: return CellNumber(PackMeasurement.ExtremeIndex(m.CellTemperatureC, m.CellTemperatureStatus, false));
                case SNCellBal: return _c.Balancer == null ? double.NaN : _c.Balancer.ActiveCount;
                case SCellV: return m.CellVoltageStatus[a] == SensorStatus.Ok ? m.CellMillivolts[a] / 1000f : float.NaN;
                case SCellTmp: return m.CellTemperatureStatus[a] == SensorStatus.Ok ? m.CellTemperatureC[a] : float.NaN;
                default: return double.NaN; // SNotImpl
            }
        }

        private static double CellNumber(int index) { return index < 0 ? double.NaN : index + 1; }

        /// <summary>Pack voltage at mid-window (mean of the cell file's limits): the ratings' energy and power.</summary>
        private float NominalVolts()
        {
            return _c.Board.CellCount * (_c.Cell.MinCellMillivolts + _c.Cell.MaxCellMillivolts) / 2000f;
        }

        /// <summary>The weakest cell's estimated capacity as % of the cell file's.</summary>
        private double StateOfHealth()
        {
            if (_c.Cell.CapacityAh <= 0) return double.NaN;
            float low = float.NaN;
            for (int i = 0; i < _c.Board.CellCount; i++)
            {
                float q = _c.Estimator.CellCapacityAh(i);
                if (float.IsNaN(low) || q < low) low = q;
            }
            return low / _c.Cell.CapacityAh * 100f;
        }

        /// <summary>802 ChaSt: OFF with a trip, at start-up or disconnected by SetOp, else from the loop's state and, derating, the current's sign.</summary>
        private int ChargeState()
        {
            if (_c.OperatorDisconnect) return 1; // OFF: held open by a SetOp DISCONNECT
            switch (_c.State)
            {
                case BmsState.Charge: return 4;    // CHARGING
                case BmsState.Discharge: return 3; // DISCHARGING
                case BmsState.Idle: return 6;      // HOLDING
                case BmsState.Derate:
                    PackMeasurement m = _c.Measurement;
                    if (m.PackCurrentStatus != SensorStatus.Ok) return 6;
                    return m.PackCurrentA > 0 ? 3 : (m.PackCurrentA < 0 ? 4 : 6); // positive = discharge
                default: return 1;                 // OFF: init, safe
            }
        }

        /// <summary>802 State: FAULT with any trip, INITIALIZING at start-up, else CONNECTED with the contactor closed.</summary>
        private int State()
        {
            if (_c.AnyTrip) return 99;
            if (_c.State == BmsState.Init) return 2;
            return _c.Outputs.Contactor.State == ContactorState.Closed ? 3 : 1;
        }

        private uint Evt1(SafetySupervisor s)
        {
            uint bits = 0;
            int n = s.FaultClassCount < AlarmBit.Length ? s.FaultClassCount : AlarmBit.Length;
            for (int c = 0; c < n; c++)
            {
                int level = s.ClassTripLatched(c) ? LevelMonitor.Trip : s.ClassLevel(c);
                if (level >= LevelMonitor.Alarm && AlarmBit[c] >= 0) bits |= 1u << AlarmBit[c];
                else if (level >= LevelMonitor.Warning && WarningBit[c] >= 0) bits |= 1u << WarningBit[c];
            }
            if (_c.Outputs.Contactor.State == ContactorState.Failed) bits |= 1u << ContactorErrorBit;
            return bits;
        }
    }
}
