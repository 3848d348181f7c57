using System;
using SolidBms.Core.Config;
using SolidBms.Drivers.AnalogFrontEnd;
using SolidBms.Drivers.Ntc;
using SolidBms.Firmware;
using SolidBms.Simulator.Chips;
using SolidBms.Simulator.Physics;

namespace SolidBms.Simulator.Hardware;

/// <summary>
/// The simulated rig behind a board file: turns the pack's true state into the voltages at each ADC pin the
/// board wires (dividers, thermistor dividers, current amplifier, load-cell amplifier), with sensor noise,
/// offsets and injected faults, and carries the outputs the firmware drives.
/// </summary>
public sealed class SimAnalogRig
{
    private readonly BoardConfig _board;
    private readonly NtcTable _ntc;

    public SimAnalogRig(BoardConfig board, SensorNoise noise, Random rng, SimClock clock)
    {
        _board = board;
        Noise = noise;
        _ntc = NtcParts.Find(board.ThermistorPart) ?? throw new ArgumentException("unknown thermistor part " + board.ThermistorPart);
        if (board.UsesI2c) I2c = new SimI2cRig(board, noise, new Random(rng.Next()), clock); // chips on I2C
        Channels = new SimAdcChannel[board.AdcChannelCount];
        var conversionNoise = new NoiseRng(rng); // one cheap generator for every conversion (seeded: runs repeat)
        for (int i = 0; i < Channels.Length; i++) Channels[i] = new SimAdcChannel(board.AdcMaxCounts, conversionNoise, board.Oversample);
        ThermistorFault = new ThermistorFault[board.CellCount];
        Clock = clock;
        Watchdog = new SimWatchdog(clock);
        Hardware = new BmsHardware
        {
            AdcChannels = Channels,
            MainContactor = MainContactor,
            Precharge = Precharge,
            ChargeEnable = ChargeEnable,
            DischargeEnable = DischargeEnable,
            Alarm = Alarm,
            Watchdog = Watchdog,
            Clock = clock,
            I2cBus = I2c?.Bus,
            SecondDisconnect = board.SecondMeans?.Disconnect == SecondMeansSettings.Gpio ? SecondDisconnect : null,
            FuseBlow = board.SecondMeans?.Fuse == SecondMeansSettings.Gpio ? FuseBlow : null,
        };
        if (board.Balancing?.Pins != null)
        {
            Bleed = new SimDigitalOutput[board.CellCount];
            for (int i = 0; i < Bleed.Length; i++) Bleed[i] = new SimDigitalOutput();
            Hardware.BleedOutputs = Bleed;
        }
        _tapDropMv = new double[board.CellCount];
        _anchorC = new double[board.CellCount];
        _anchorPinMv = new double[board.CellCount];
        _slopeMvPerC = new double[board.CellCount];
        Array.Fill(_anchorC, double.NaN);
        _ntcRow = new int[board.CellCount];
    }

    private readonly int[] _ntcRow; // each thermistor's rows in the part's table (look-ups start there)

    /// <summary>How far a cell's temperature moves before its thermistor pin is worked out exactly again, C.</summary>
    public const double AnchorStepC = 0.05;

    private readonly double[] _anchorC, _anchorPinMv, _slopeMvPerC; // each thermistor divider: anchor C, pin mV there, mV per C

    /// <summary>One bleed switch per cell (board [balancing] pins), null when the bleed is the BQ76952's or absent.</summary>
    public SimDigitalOutput[] Bleed { get; }

    private readonly double[] _tapDropMv;

    /// <summary>
    /// The cells bleeding now, from the GPIOs or the BQ76952's active cells, into the pack (its bleed currents and
    /// heat); also the chip's die temperature. Called before each physics step.
    /// </summary>
    public void ApplyBleed(PackModel pack)
    {
        var b = _board.Balancing;
        if (b == null) return;
        pack.BleedOhm = b.BleedResistorOhm;
        ulong mask = 0;
        if (Bleed != null) { for (int i = 0; i < Bleed.Length; i++) if (Bleed[i].State) mask |= 1UL << i; }
        else if (I2c != null) mask = I2c.ChipBleedMask(pack, b.BleedResistorOhm);
        pack.SetBleeding(mask);
    }

    /// <summary>The chip models on the board's I2C bus (null on an all-ADC board).</summary>
    public SimI2cRig I2c { get; }

    public BoardConfig Board => _board;

    public SensorNoise Noise
    {
        get => _noise;
        set { _noise = value; if (I2c != null) I2c.Noise = value; }
    }

    private SensorNoise _noise;
    public SimAdcChannel[] Channels { get; }
    public SimClock Clock { get; }
    public SimWatchdog Watchdog { get; }
    public SimDigitalOutput MainContactor { get; } = new();
    public SimDigitalOutput Precharge { get; } = new();
    /// <summary>Welded main contacts: closed whatever the coil is told.</summary>
    public bool MainWelded { get; set; }
    public bool MainPhysicallyClosed => MainContactor.State || MainWelded;
    /// <summary>Load-side (DC link) voltage, mV: charged through the precharge resistor, held by the contactor.</summary>
    public double LinkMillivolts { get; private set; }
    /// <summary>Precharge resistor times link capacitance, s (100 ohm, 2 mF).</summary>
    public double PrechargeTauS { get; set; } = 0.2;
    /// <summary>Link bleed (discharge resistor) time constant, s.</summary>
    public double BleedTauS { get; set; } = 5.0;
    /// <summary>A fault in the load: the link never charges (shorted capacitor, open precharge resistor).</summary>
    public bool LinkShorted { get; set; }
    /// <summary>The second means' trip output ([secondMeans] disconnect = gpio): a shunt trip in series with the contactor.</summary>
    public SimDigitalOutput SecondDisconnect { get; } = new();
    /// <summary>The fuse-blow output ([secondMeans] fuse = gpio): the gate of the FET that fires the fuse in the pack path.</summary>
    public SimDigitalOutput FuseBlow { get; } = new();
    /// <summary>The shunt trip has opened: it latches mechanically (a reset that releases its coil does not close it).</summary>
    public bool SecondPathTripped { get; private set; }
    /// <summary>The fuse in the pack path has blown (from the GPIO output or the BQ76952's FUSE pin): open for good.</summary>
    public bool FuseBlown { get; private set; }
    /// <summary>A scenario's failure of the second means: it does not open when told (a trip mechanism stuck, FETs failed short).</summary>
    public bool SecondMeansFailed { get; set; }

    /// <summary>The BQ76952's FETs are in the pack path: the board declares them its second means.</summary>
    private bool ChipFetsInPath => _board.SecondMeans?.Disconnect == SecondMeansSettings.Bq76952 && I2c?.Bq != null;

    /// <summary>Latches what the trip and fuse outputs did since the last step (a blown fuse and a tripped breaker stay open).</summary>
    private void LatchSecondPath()
    {
        if (SecondDisconnect.State && !SecondMeansFailed) SecondPathTripped = true;
        if (FuseBlow.State || (I2c?.Bq?.FuseDriven ?? false)) FuseBlown = true;
    }

    /// <summary>Whether the series elements outside the contactor (fuse, shunt trip, the chip's FETs) pass a current in the demanded direction.</summary>
    private bool SecondPathPasses(double demandedA)
    {
        if (FuseBlown || SecondPathTripped) return false;
        if (!ChipFetsInPath || SecondMeansFailed) return true;
        return demandedA < 0 ? I2c.Bq.ChargeFetOn : demandedA > 0 ? I2c.Bq.DischargeFetOn : I2c.Bq.ChargeFetOn && I2c.Bq.DischargeFetOn;
    }

    public SimDigitalOutput ChargeEnable { get; } = new();
    public SimDigitalOutput DischargeEnable { get; } = new();
    public SimDigitalOutput Alarm { get; } = new();
    public BmsHardware Hardware { get; }
    public ThermistorFault[] ThermistorFault { get; }

    /// <summary>
    /// The current that really flows for a demanded one: only through a closed contactor, and only in a
    /// direction whose enable line is on. A charger or load cannot push current through an open switch.
    /// </summary>
    public double GateCurrent(double demandedA, bool enableLinesIgnored = false)
    {
        LatchSecondPath();
        if (!MainPhysicallyClosed || !SecondPathPasses(demandedA)) return 0;
        if (enableLinesIgnored) return demandedA;
        if (demandedA > 0 && !DischargeEnable.State) return 0;
        if (demandedA < 0 && !ChargeEnable.State) return 0;
        return demandedA;
    }

    /// <summary>The watchdog's reset: every output de-energised, as on the real board.</summary>
    public void ResetOutputs()
    {
        MainContactor.Write(false);
        Precharge.Write(false);
        ChargeEnable.Write(false);
        DischargeEnable.Write(false);
        Alarm.Write(false);
        SecondDisconnect.Write(false);
        FuseBlow.Write(false);
        if (Bleed != null) foreach (var o in Bleed) o.Write(false);
    }

    /// <summary>Sets every wired channel's input from the pack's true state and the current that flows.</summary>
    public void UpdateInputs(PackModel pack, double currentA, double dtSeconds = 0)
    {
        var b = _board;
        double packMv = 0;
        foreach (var c in pack.Cells) packMv += c.TerminalMillivolts;
        if (LinkShorted) LinkMillivolts = 0;
        else if (MainPhysicallyClosed && SecondPathPasses(0)) LinkMillivolts = packMv;
        else if (Precharge.State) LinkMillivolts += (packMv - LinkMillivolts) * (1 - Math.Exp(-dtSeconds / PrechargeTauS));
        else LinkMillivolts *= Math.Exp(-dtSeconds / BleedTauS);
        if (b.LinkAdcChannel >= 0) SetMillivolts(b.LinkAdcChannel, LinkMillivolts / b.LinkDividerRatio, 0);
        // GPIO bleed current also flows in the sense wires: tap k carries (bleed of the cell below it) - (of the cell above),
        // and the bottom wire the bottom cell's, each dropping R_tap x I before the ADC.
        double rTap = Bleed != null ? b.Balancing.TapResistanceOhm : 0;
        for (int i = 0; i < b.CellCount; i++)
            _tapDropMv[i] = rTap * 1000.0 * (pack.BleedA[i] - (i + 1 < b.CellCount ? pack.BleedA[i + 1] : 0));
        double bottomDropMv = -rTap * 1000.0 * (b.CellCount > 0 ? pack.BleedA[0] : 0);
        double tap = 0;
        for (int i = 0; i < b.CellCount; i++)
        {
            var cell = pack.Cells[i];
            tap += cell.TerminalMillivolts;
            double below = i == 0 ? bottomDropMv : _tapDropMv[i - 1];
            double cellSeen = cell.TerminalMillivolts - _tapDropMv[i] + below;
            double tapSeen = tap - _tapDropMv[i] + bottomDropMv;
            double cellAtPin = (b.CellDifferential ? cellSeen : tapSeen) / b.CellDividerRatios[i];
            if (b.CellAdcChannels[i] >= 0) SetMillivolts(b.CellAdcChannels[i], cellAtPin, Noise.CellMv / b.CellDividerRatios[i]);

            double t = cell.TemperatureC;
            int ch = b.ThermistorAdcChannels[i];
            if (ch < 0) continue; // read over I2C
            // The divider's pin voltage, exact at an anchor temperature and followed along the chord to AnchorStepC above
            // it until the cell has moved AnchorStepC from there: the slope changes a few percent per degree, so the line
            // is off by under 0.02 mV (the converter's step is 0.8 mV), where the exact value costs a table look-up and an
            // exp per thermistor per tick. The slope's magnitude is also the noise's mV per C.
            if (!(Math.Abs(t - _anchorC[i]) < AnchorStepC))
            {
                _anchorC[i] = t;
                _anchorPinMv[i] = ThermistorPinMillivolts((float)t, ref _ntcRow[i]);
                _slopeMvPerC[i] = (ThermistorPinMillivolts((float)(t + AnchorStepC), ref _ntcRow[i]) - _anchorPinMv[i]) / AnchorStepC;
            }
            double pin = _anchorPinMv[i] + _slopeMvPerC[i] * (t - _anchorC[i]);
            double slope = Math.Abs(_slopeMvPerC[i]);
            switch (ThermistorFault[i])
            {
                case SolidBms.Simulator.Hardware.ThermistorFault.Open: pin = b.ThermistorSupplyMillivolts; break;
                case SolidBms.Simulator.Hardware.ThermistorFault.Short: pin = 0; break;
            }
            SetMillivolts(ch, pin, Noise.TempC * slope);
        }

        double measuredA = currentA * (1 + Noise.CurrentGainError) + Noise.CurrentOffsetA;
        I2c?.UpdateInputs(pack, measuredA, ThermistorFault);
        if (b.CurrentAdcChannel >= 0) SetMillivolts(b.CurrentAdcChannel, b.CurrentZeroMillivolts + b.CurrentMillivoltsPerAmp * measuredA,
            Noise.CurrentA * Math.Abs(b.CurrentMillivoltsPerAmp));

        for (int s = 0; s < b.StackCount; s++)
        {
            if (b.PressureAdcChannels[s] < 0) continue; // read over I2C
            double newton = pack.Stacks[s].PressureKpa * b.PressedAreaCm2 / 10.0;
            SetMillivolts(b.PressureAdcChannels[s], b.PressureZeroMillivolts + b.PressureMillivoltsPerNewton * newton,
                Noise.PressureKpa * b.PressedAreaCm2 / 10.0 * Math.Abs(b.PressureMillivoltsPerNewton));
        }
    }

    /// <summary>NtcThermistor.PinMillivoltsAt with the host's Math.Exp (the firmware's series Exp is for the device).</summary>
    private float ThermistorPinMillivolts(float temperatureC, ref int rowHint)
    {
        return NtcThermistor.PinMillivoltsForOhm((float)Math.Exp(_ntc.LnOhm(temperatureC, ref rowHint)), _board.ThermistorPullupOhm, _board.ThermistorSupplyMillivolts);
    }

    private void SetMillivolts(int channel, double pinMillivolts, double noiseMillivolts)
    {
        var cal = _board.CalibrationOf(channel);
        Channels[channel].Set(cal.ToCounts((float)pinMillivolts), noiseMillivolts / cal.MillivoltsPerCount);
    }
}

public enum ThermistorFault { None, Open, Short }
