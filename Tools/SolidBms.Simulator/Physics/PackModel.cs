using System;
using SolidBms.Simulator.Physics.ReferenceCell;

namespace SolidBms.Simulator.Physics;

/// <summary>Spread of cell parameters across a pack, as standard deviations (fractions, SOC points as fraction).</summary>
public sealed record CellSpread(double CapacityFraction, double ResistanceFraction, double Soc);

/// <summary>
/// N cells in series in one or more fixtures (stacks), each cell a lumped thermal mass exchanging heat with
/// ambient and its neighbours in the row, each stack with its own pressure model. The cells are equivalent
/// circuits from the cell file, or, given <c>reference</c> parameters, physics-based reference cells
/// (<see cref="SpmCell"/>); the thermal and fixture physics come from the cell file either way.
/// </summary>
public sealed class PackModel
{
    private readonly SimCellParameters _p;
    private readonly double[] _heatFlowW;

    public PackModel(SimCellParameters parameters, int cellCount, int stackCount, double initialSoc, double ambientC,
        double preloadKpa, CellSpread spread, Random rng, double capacityAh, SpmCellParameters reference = null)
    {
        _p = parameters;
        AmbientC = ambientC;
        Cells = new ISimCell[cellCount];
        for (int i = 0; i < cellCount; i++)
        {
            double cap = capacityAh * (1 + spread.CapacityFraction * Gaussian.BoxMuller(rng));
            double res = 1 + spread.ResistanceFraction * Gaussian.BoxMuller(rng);
            double soc = Math.Clamp(initialSoc + spread.Soc * Gaussian.BoxMuller(rng), 0.0, 1.0);
            Cells[i] = reference == null
                ? new EcmCell(parameters, cap, Math.Max(0.1, res), soc, ambientC)
                // Capacity spread is active material (cathode loading), which also scales the particle surface.
                : new SpmCell(reference with { CathodeThicknessM = reference.CathodeThicknessM * cap / reference.CapacityAh }, Math.Max(0.1, res), soc, ambientC);
        }
        Stacks = new StackPressureModel[stackCount];
        for (int s = 0; s < stackCount; s++)
            Stacks[s] = new StackPressureModel(parameters, preloadKpa, MeanSoc(s), ambientC);
        _heatFlowW = new double[cellCount];
        _socScratch = new float[cellCount];
        BleedA = new double[cellCount];
        BleedOhm = double.PositiveInfinity;
    }

    /// <summary>Each cell's bleed (balancing) current, A: it discharges that cell alone and heats its resistor.</summary>
    public double[] BleedA { get; }

    /// <summary>Bleed resistance of the rig, ohm (infinite: no bleed hardware).</summary>
    public double BleedOhm { get; set; }

    /// <summary>Charge bled from each cell so far, Ah.</summary>
    public double BledAh(int cell) => _bledAh == null ? 0 : _bledAh[cell];
    private double[] _bledAh;

    /// <summary>Switches the bleed of the cells in mask on (bit i = cell i) at each cell's terminal voltage over the bleed resistance.</summary>
    public void SetBleeding(ulong mask)
    {
        for (int i = 0; i < Cells.Length; i++)
            BleedA[i] = (mask & (1UL << i)) != 0 && !double.IsInfinity(BleedOhm) ? Cells[i].TerminalMillivolts / 1000.0 / BleedOhm : 0;
    }

    public int BleedingCount
    {
        get
        {
            int n = 0;
            foreach (double a in BleedA) if (a > 0) n++;
            return n;
        }
    }

    private readonly float[] _socScratch;

    public ISimCell[] Cells { get; }
    public StackPressureModel[] Stacks { get; }
    public double AmbientC { get; set; }

    /// <summary>The stack a cell sits in: cells are split evenly, in order.</summary>
    public int StackOf(int cell) => cell * Stacks.Length / Cells.Length;

    public double MeanSoc(int stack)
    {
        double sum = 0; int n = 0;
        for (int i = 0; i < Cells.Length; i++) if (StackOf(i) == stack) { sum += Cells[i].Soc; n++; }
        return n == 0 ? 0 : sum / n;
    }

    public void Step(double currentA, double dtSeconds)
    {
        for (int i = 0; i < Cells.Length; i++)
        {
            Cells[i].Step(currentA + BleedA[i], dtSeconds, Stacks[StackOf(i)].PressureKpa);
            if (BleedA[i] > 0) (_bledAh ??= new double[Cells.Length])[i] += BleedA[i] * dtSeconds / 3600.0;
        }

        // Heat balance: generation, loss to ambient, exchange with the neighbours in the row (explicit Euler:
        // the thermal time constants are tens of seconds, far longer than a tick).
        for (int i = 0; i < Cells.Length; i++)
        {
            var c = Cells[i];
            // The bleed resistor sits on the cell's sense board against the cell: its heat goes into the cell.
            double q = c.HeatWatts + (BleedA[i] > 0 ? BleedA[i] * BleedA[i] * BleedOhm : 0) - _p.AmbientConductanceWPerK * (c.TemperatureC - AmbientC);
            if (i > 0) q -= _p.NeighbourConductanceWPerK * (c.TemperatureC - Cells[i - 1].TemperatureC);
            if (i < Cells.Length - 1) q -= _p.NeighbourConductanceWPerK * (c.TemperatureC - Cells[i + 1].TemperatureC);
            _heatFlowW[i] = q;
        }
        for (int i = 0; i < Cells.Length; i++) Cells[i].TemperatureC += _heatFlowW[i] * dtSeconds / _p.HeatCapacityJPerK;

        for (int s = 0; s < Stacks.Length; s++)
        {
            double soc = 0, temp = 0, throughput = 0; int n = 0;
            for (int i = 0; i < Cells.Length; i++)
            {
                if (StackOf(i) != s) continue;
                soc += Cells[i].Soc; temp += Cells[i].TemperatureC; throughput += Cells[i].ThroughputAh; n++;
            }
            Stacks[s].Update(soc / n, temp / n, throughput / n);
        }
    }

    /// <summary>Pack SOC from the true cell SOCs, combined the way the firmware combines its estimates.</summary>
    public double TrueSoc()
    {
        for (int i = 0; i < Cells.Length; i++) _socScratch[i] = (float)Math.Clamp(Cells[i].Soc, 0, 1);
        return SolidBms.Core.Estimation.StateEstimator.CombineCells(_socScratch);
    }
}
