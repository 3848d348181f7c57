using System;
using System.Collections.Generic;
using SolidBms.Core.Hal;
using SolidBms.Drivers.I2cCommon;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Simulator.Chips;

/// <summary>
/// Register-level BQ76952: a 0x80-byte direct-command image refreshed by a full measurement scan every
/// <see cref="ScanPeriodMs"/> (cell voltages in mV at 0x14.., stack in 10 mV at 0x34, CC2 in mA at 0x3A with
/// positive = charge, temperatures in 0.1 K at 0x68..0x7A, Alarm Status FULLSCAN at 0x62, Safety Status A at 0x03);
/// subcommands and data memory through 0x3E/0x40/0x60; CRC-8 on every byte in CRC mode. Its own COV/CUV
/// protection trips Safety Status A from the thresholds written to data memory. Host-controlled cell balancing:
/// CB_ACTIVE_CELLS (0x0083) starts, renews or stops it and reads it back, CBSTATUS1 (0x0085) gives its seconds,
/// and the chip's rules hold: no adjacent inputs, at most Cell Balance Max Cells, only inside the Min/Max Cell Temp
/// and Max Internal Temp window, never with CB_NO_CMD set or in CONFIG_UPDATE, and it stops by itself when not
/// renewed within Cell Balance Interval. Voltages are measured with balancing paused, so a reading carries no bleed drop.
/// FET drivers as the host commands them: ALL_FETS_OFF / DSG_PDSG_OFF / CHG_PCHG_OFF force them off (only with FET
/// Options HOST_FET_EN), ALL_FETS_ON releases that, FET_ENABLE toggles autonomous control (FET_EN), FET Status at 0x7F
/// reads them; the FUSE pin as FUSE_TOGGLE drives it, seen in Battery Status bit 10 at the next once-a-second sample.
/// The chip's own protections set Safety Status but do not switch the modelled FETs (not needed: the firmware acts first).
/// </summary>
public sealed class Bq76952Model : SimI2cChip
{
    public const int ScanPeriodMs = 50;
    private const double OpenPinC = -60, ShortPinC = 200;

    private readonly byte[] _image = new byte[0x80];
    private readonly byte[] _response = new byte[32];
    private readonly Dictionary<int, int> _dataMemory = new();
    private readonly byte _addressWrite, _addressRead;
    private int _responseLength, _subcommand;
    private byte _responseChecksum;
    private readonly byte[] _pendingWrite = new byte[34];
    private int _pendingLength;
    private long _nextScanMs;
    private int _cbActive;
    private long _cbStartMs, _cbRenewedMs;
    private int _hostFetOff; // HostChgOff | HostDsgOff: forced off by a host command
    private long _nextFuseSampleMs;
    private const int HostChgOff = 1, HostDsgOff = 2;

    // Second-means subcommands and settings (TRM SLUUBY2B; Drivers/.../Bq76952/README.md)
    public const int SubFuseToggle = 0x001D, SubFetEnable = 0x0022, SubDsgPdsgOff = 0x0093, SubChgPchgOff = 0x0094, SubAllFetsOff = 0x0095, SubAllFetsOn = 0x0096;
    public const int DmFetOptions = 0x9308;
    private const int HostFetEn = 0x04;

    /// <summary>Manufacturing Status FET_EN: the chip drives its FETs itself (the rig's OTP is set so); false is FET Test Mode, FETs off.</summary>
    public bool FetEnabled { get; private set; }
    /// <summary>The CHG (and PCHG) driver is on: charge current may flow through the chip's FETs.</summary>
    public bool ChargeFetOn => FetEnabled && (_hostFetOff & HostChgOff) == 0;
    /// <summary>The DSG (and PDSG) driver is on.</summary>
    public bool DischargeFetOn => FetEnabled && (_hostFetOff & HostDsgOff) == 0;
    /// <summary>The FUSE pin is driven (by FUSE_TOGGLE).</summary>
    public bool FuseDriven { get; private set; }

    // Data memory and subcommands of cell balancing (TRM SLUUBY2B; see Drivers/.../Bq76952/README.md)
    public const int SubCbActiveCells = 0x0083, SubCbStatus1 = 0x0085;
    public const int DmBalancingConfiguration = 0x9335, DmCbMinCellTemp = 0x9336, DmCbMaxCellTemp = 0x9337,
        DmCbMaxInternalTemp = 0x9338, DmCbInterval = 0x9339, DmCbMaxCells = 0x933A;
    private const int CbNoCmd = 0x10;

    /// <summary>VC inputs balancing now (bit n-1 = input n).</summary>
    public int ActiveCells => _cbActive;
    /// <summary>Pins (index as <see cref="PinTemperatureC"/>) that carry cell thermistors: the balancing temperature window applies to them.</summary>
    public bool[] CellTemperaturePin { get; } = new bool[10];
    /// <summary>CB_ACTIVE_CELLS commands the chip refused under its rules.</summary>
    public int RefusedBalancingCommands { get; private set; }

    public Bq76952Model(int address, bool crc, SimClock clock, Random rng) : base("bq76952", address, clock, rng)
    {
        Crc = crc;
        _addressWrite = (byte)(address << 1);
        _addressRead = (byte)((address << 1) | 1);
        OnPowerOnReset();
    }

    public bool Crc { get; }
    public override bool HasCrc => Crc;

    /// <summary>True inputs, per VC input 1..16 (index 0..15), mV.</summary>
    public double[] InputMillivolts { get; } = new double[16];
    /// <summary>Per thermistor pin command (0x68..0x7A, index (cmd - 0x68) / 2): true temperature, degC.</summary>
    public double[] PinTemperatureC { get; } = new double[10];
    /// <summary>Per pin: thermistor fault (open reads coldest, short reads hottest).</summary>
    public ThermistorFault[] PinFault { get; } = new ThermistorFault[10];
    /// <summary>True pack current, A, positive = discharge (the chip reports charge positive).</summary>
    public double CurrentA { get; set; }
    public double CellNoiseMv { get; set; }
    public double CurrentNoiseA { get; set; }
    public double TempNoiseC { get; set; }

    public bool InConfigUpdate { get; private set; }
    public int DataMemory(int address) => _dataMemory.TryGetValue(address, out var v) ? v : 0;
    public long Scans { get; private set; }

    protected override void OnPowerOnReset()
    {
        Array.Clear(_image);
        _dataMemory.Clear();
        _dataMemory[0x9304] = 0x0000; // Vcell Mode 0: the chip's default cell map (not the board's)
        _dataMemory[0x9261] = 0x88;   // Enabled Protections A default: SCD, COV
        _dataMemory[0x9278] = 86;     // COV 86 x 50.6 mV = 4352 mV
        _dataMemory[0x9275] = 50;     // CUV 50 x 50.6 mV = 2530 mV
        // Settings:Cell Balancing Config defaults (this project's reading of the TRM's data-memory table)
        _dataMemory[DmBalancingConfiguration] = 0x00;
        _dataMemory[DmCbMinCellTemp] = unchecked((byte)-20);
        _dataMemory[DmCbMaxCellTemp] = 60;
        _dataMemory[DmCbMaxInternalTemp] = 70;
        _dataMemory[DmCbInterval] = 20;
        _dataMemory[DmCbMaxCells] = 1;
        _dataMemory[DmFetOptions] = 0x0D; // TRM default: SFET, HOST_FET_EN, FET_CTRL_EN; FET_INIT_OFF clear, so the FETs may be on after a reset
        _hostFetOff = 0;
        FetEnabled = true;
        FuseDriven = false;
        _nextFuseSampleMs = Clock.NowMilliseconds;
        _cbActive = 0;
        InConfigUpdate = false;
        _subcommand = 0;
        _responseLength = 0;
        _nextScanMs = Clock.NowMilliseconds + ScanPeriodMs;
    }

    protected override void SkipConversions(long nowMs) => _nextScanMs = nowMs + ScanPeriodMs;

    protected override void RunConversions(long nowMs)
    {
        if (nowMs < _nextScanMs) return;
        int n = 0;
        while (_nextScanMs <= nowMs) { _nextScanMs += ScanPeriodMs; n++; }
        if (InConfigUpdate) return; // measurements pause in CONFIG_UPDATE mode
        if (_cbActive != 0 && (nowMs - _cbRenewedMs >= DataMemory(DmCbInterval) * 1000L || !BalancingTemperaturesOk())) _cbActive = 0;
        Scans += n; // only the newest scan's results are visible, as on the chip
        int stack10mV = 0, safetyA = _image[0x03];
        int cov = DataMemory(0x9278), cuv = DataMemory(0x9275), enabled = DataMemory(0x9261);
        double stackMv = 0;
        for (int i = 0; i < 16; i++)
        {
            double mv = InputMillivolts[i] + Noise(CellNoiseMv);
            stackMv += InputMillivolts[i];
            int raw = (int)Math.Round(mv);
            Put16(0x14 + 2 * i, raw);
            if ((enabled & 0x08) != 0 && cov > 0 && raw > cov * 50.6) safetyA |= 0x08;
            if ((enabled & 0x04) != 0 && cuv > 0 && raw > 100 && raw < cuv * 50.6) safetyA |= 0x04;
        }
        stack10mV = (int)Math.Round(stackMv / 10);
        Put16(0x34, stack10mV);
        Put16(0x36, stack10mV);
        Put16(0x38, stack10mV);
        Put16(0x3A, (int)Math.Clamp(Math.Round(-(CurrentA + Noise(CurrentNoiseA)) * 1000), short.MinValue, short.MaxValue)); // CC2: mA, charge positive, clips at 16 bits
        for (int p = 0; p < 10; p++)
        {
            double c = PinFault[p] switch { ThermistorFault.Open => OpenPinC, ThermistorFault.Short => ShortPinC, _ => PinTemperatureC[p] + Noise(TempNoiseC) };
            Put16(0x68 + 2 * p, (int)Math.Round((c + 273.15) * 10));
        }
        _image[0x03] = (byte)safetyA;
        _image[0x62] |= 0x80; // Alarm Status: FULLSCAN
        if (nowMs >= _nextFuseSampleMs) // Battery Status[FUSE] is sampled once a second (TRM)
        {
            _nextFuseSampleMs = nowMs + 1000;
            if (FuseDriven) _image[0x13] |= 0x04; else _image[0x13] &= unchecked((byte)~0x04);
        }
    }

    private void Put16(int cmd, int value)
    {
        _image[cmd] = (byte)(value & 0xFF);
        _image[cmd + 1] = (byte)((value >> 8) & 0xFF);
    }

    protected override I2cStatus OnWrite(byte[] data, int offset, int count)
    {
        if (count < 1) return I2cStatus.BusError;
        byte cmd = data[offset];
        // Strip and check the CRC bytes: the first covers address, command and first data byte; later ones one byte each.
        int n = 0;
        Span<byte> payload = stackalloc byte[40];
        for (int i = offset + 1; i < offset + count; i++)
        {
            byte d = data[i];
            if (Crc)
            {
                if (i + 1 >= offset + count) return I2cStatus.DataNack;
                byte expected = n == 0 ? Crc8.Update(Crc8.Update(Crc8.Update(0, _addressWrite), cmd), d) : Crc8.Update(0, d);
                if (data[i + 1] != expected) return I2cStatus.DataNack; // a corrupted write is refused, not applied
                i++;
            }
            payload[n++] = d;
        }
        if (cmd == 0x3E)
        {
            if (n == 2) RunSubcommand(payload[0] | (payload[1] << 8));
            else if (n > 2)
            {
                for (int i = 0; i < n; i++) _pendingWrite[i] = payload[i];
                _pendingLength = n;
            }
            return I2cStatus.Ok;
        }
        if (cmd == 0x60 && n == 2)
        {
            CommitDataMemoryWrite(payload[0], payload[1]);
            return I2cStatus.Ok;
        }
        if (cmd == 0x62 && n >= 1)
        {
            _image[0x62] &= (byte)~payload[0]; // write 1 to clear
            if (n >= 2) _image[0x63] &= (byte)~payload[1];
            return I2cStatus.Ok;
        }
        return I2cStatus.Ok; // other direct writes are accepted and ignored by this model
    }

    private void RunSubcommand(int sub)
    {
        _subcommand = sub;
        _responseLength = 0;
        switch (sub)
        {
            case 0x0001: _response[0] = 0x95; _response[1] = 0x76; _responseLength = 2; break; // DEVICE_NUMBER 0x7695
            case 0x0090: InConfigUpdate = true; _cbActive = 0; break; // no balancing while the configuration changes
            case SubCbActiveCells: _response[0] = (byte)_cbActive; _response[1] = (byte)(_cbActive >> 8); _responseLength = 2; break;
            case SubCbStatus1:
                int seconds = _cbActive == 0 ? 0 : (int)Math.Min(0xFFFF, (Clock.NowMilliseconds - _cbStartMs) / 1000);
                _response[0] = (byte)seconds; _response[1] = (byte)(seconds >> 8); _responseLength = 2;
                break;
            case 0x0092: InConfigUpdate = false; break;
            case SubDsgPdsgOff: HostFetOff(HostDsgOff); break;
            case SubChgPchgOff: HostFetOff(HostChgOff); break;
            case SubAllFetsOff: HostFetOff(HostChgOff | HostDsgOff); break;
            case SubAllFetsOn: _hostFetOff = 0; break;
            case SubFetEnable: FetEnabled = !FetEnabled; break;
            case SubFuseToggle: FuseDriven = !FuseDriven; break;
            default:
                if (sub >= 0x9180 && _dataMemory.TryGetValue(sub, out var v)) { _response[0] = (byte)v; _response[1] = (byte)(v >> 8); _responseLength = 2; }
                break;
        }
        int sum = (sub & 0xFF) + (sub >> 8);
        for (int i = 0; i < _responseLength; i++) sum += _response[i];
        _responseChecksum = (byte)(~sum & 0xFF);
    }

    /// <summary>A host FET-off command: ignored unless FET Options HOST_FET_EN allows host FET control.</summary>
    private void HostFetOff(int which)
    {
        if ((DataMemory(DmFetOptions) & HostFetEn) != 0) _hostFetOff |= which;
    }

    private void CommitDataMemoryWrite(byte checksum, byte length)
    {
        if (_pendingLength < 3 || length != _pendingLength + 2) return;
        int sum = 0;
        for (int i = 0; i < _pendingLength; i++) sum += _pendingWrite[i];
        if ((byte)(~sum & 0xFF) != checksum) return; // bad checksum: the write is dropped
        int address = _pendingWrite[0] | (_pendingWrite[1] << 8);
        int value = _pendingWrite[2] | (_pendingLength > 3 ? _pendingWrite[3] << 8 : 0);
        if (address == SubCbActiveCells) { _pendingLength = 0; CbActiveCells(value); return; } // a subcommand with data
        if (!InConfigUpdate) return;               // data memory only changes in CONFIG_UPDATE mode
        _dataMemory[address] = value;
        _pendingLength = 0;
    }

    /// <summary>Host-controlled balancing command: applied only within the chip's rules, otherwise balancing stops.</summary>
    private void CbActiveCells(int mask)
    {
        if ((DataMemory(DmBalancingConfiguration) & CbNoCmd) != 0 || InConfigUpdate) { RefusedBalancingCommands++; return; } // ignored
        int used = DataMemory(0x9304) == 0 ? 0xFFFF : DataMemory(0x9304);
        int count = 0;
        for (int m = mask; m != 0; m &= m - 1) count++;
        bool ok = (mask & ~used) == 0 && (mask & (mask >> 1)) == 0 && count <= DataMemory(DmCbMaxCells) && (mask == 0 || BalancingTemperaturesOk());
        if (!ok) { RefusedBalancingCommands++; _cbActive = 0; return; }
        if (mask != 0 && _cbActive == 0) _cbStartMs = Clock.NowMilliseconds;
        _cbActive = mask;
        _cbRenewedMs = Clock.NowMilliseconds;
    }

    private bool BalancingTemperaturesOk()
    {
        int min = (sbyte)DataMemory(DmCbMinCellTemp), max = (sbyte)DataMemory(DmCbMaxCellTemp);
        if (PinTemperatureC[0] > (sbyte)DataMemory(DmCbMaxInternalTemp)) return false;
        for (int p = 1; p < 10; p++)
        {
            if (!CellTemperaturePin[p]) continue;
            if (PinFault[p] != ThermistorFault.None || PinTemperatureC[p] < min || PinTemperatureC[p] > max) return false;
        }
        return true;
    }

    protected override I2cStatus OnRead(byte register, byte[] buffer, int offset, int count)
    {
        int dataCount = Crc ? count / 2 : count;
        for (int i = 0; i < dataCount; i++)
        {
            byte d = ByteAt(register + i);
            if (!Crc) { buffer[offset + i] = d; continue; }
            byte crc = i == 0
                ? Crc8.Update(Crc8.Update(Crc8.Update(Crc8.Update(0, _addressWrite), register), _addressRead), d)
                : Crc8.Update(0, d);
            buffer[offset + 2 * i] = d;
            buffer[offset + 2 * i + 1] = crc;
        }
        return I2cStatus.Ok;
    }

    private byte ByteAt(int cmd)
    {
        if (cmd == 0x3E) return (byte)(_subcommand & 0xFF);
        if (cmd == 0x3F) return (byte)(_subcommand >> 8);
        if (cmd >= 0x40 && cmd < 0x60) return _response[cmd - 0x40];
        if (cmd == 0x60) return _responseChecksum;
        if (cmd == 0x61) return (byte)(_responseLength + 4);
        if (cmd == 0x7F) return (byte)((ChargeFetOn ? 0x01 : 0) | (DischargeFetOn ? 0x04 : 0)); // FET Status: CHG_FET, DSG_FET
        return cmd < 0x80 ? _image[cmd] : (byte)0xFF;
    }
}
