using System;

namespace SolidBms.Simulator.Physics.ReferenceCell;

/// <summary>
/// The reference cell: a single-particle model of a Li-metal | Li6PS5Cl | NMC811 cell. Not an equivalent circuit:
/// solid diffusion in a representative NMC811 particle (finite volumes in the radius, explicit, sub-stepped to
/// stay stable), Butler-Volmer kinetics at the cathode particle surface and at the Li foil, the ohmic drop of the
/// solid electrolyte (a single-ion conductor has no salt gradient, so no electrolyte diffusion term: SPM + ohmic
/// is the whole electrolyte story), contact resistance and Li contact area that worsen at low stack pressure, and
/// Arrhenius temperature dependence of every rate. Its voltage therefore depends on current nonlinearly, on the
/// particle's concentration profile (relaxation is diffusion, not two exponentials) and on the OCP of the surface.
/// Current positive = discharge (the cathode lithiates, x rises).
/// </summary>
public sealed class SpmCell : ISimCell
{
    private readonly SpmCellParameters _p;
    private readonly double[] _x;         // stoichiometry per shell, centre to surface
    private readonly double[] _next;
    private readonly double[] _inCoef;    // 4 pi r_k^2 / (dr V_k): exchange with the inner neighbour
    private readonly double[] _outCoef;   // 4 pi r_(k+1)^2 / (dr V_k): exchange with the outer neighbour
    private readonly double[] _weight;    // V_k / V
    private readonly double _surfaceCoef; // 4 pi R^2 / V_(N-1)
    private readonly double _dr, _xFull, _xEmpty;
    private readonly double _interfaceM2;

    public SpmCell(SpmCellParameters parameters, double resistanceScale, double initialSoc, double temperatureC)
    {
        _p = parameters;
        int n = parameters.Shells;
        _x = new double[n];
        _next = new double[n];
        _inCoef = new double[n];
        _outCoef = new double[n];
        _weight = new double[n];
        double radius = parameters.ParticleRadiusM;
        _dr = radius / n;
        double total = 4.0 / 3.0 * Math.PI * radius * radius * radius;
        for (int k = 0; k < n; k++)
        {
            double rIn = k * _dr, rOut = (k + 1) * _dr;
            double v = 4.0 / 3.0 * Math.PI * (rOut * rOut * rOut - rIn * rIn * rIn);
            _weight[k] = v / total;
            _inCoef[k] = k == 0 ? 0 : 4.0 * Math.PI * rIn * rIn / (_dr * v);
            _outCoef[k] = k == n - 1 ? 0 : 4.0 * Math.PI * rOut * rOut / (_dr * v);
            if (k == n - 1) _surfaceCoef = 4.0 * Math.PI * radius * radius / v;
        }
        _xFull = parameters.FullStoichiometry;
        _xEmpty = parameters.EmptyStoichiometry;
        _interfaceM2 = parameters.InterfaceAreaM2;
        CapacityAh = parameters.CapacityAh;
        ResistanceScale = resistanceScale;
        TemperatureC = temperatureC;
        InternalShortOhm = double.PositiveInfinity;
        double x0 = _xEmpty - initialSoc * (_xEmpty - _xFull);
        for (int k = 0; k < n; k++) _x[k] = x0;
        TerminalMillivolts = Nmc811Ocp.Volts(x0) * 1000.0;
        R0MilliOhm = SmallSignalOhm(x0, 1000) * 1000.0;
    }

    public SpmCellParameters Parameters => _p;
    public double CapacityAh { get; }
    public double ResistanceScale { get; set; }
    public double TemperatureC { get; set; }
    public double InternalShortOhm { get; set; }
    public double TerminalMillivolts { get; private set; }
    public double HeatWatts { get; private set; }
    public double ThroughputAh { get; private set; }
    public double R0MilliOhm { get; private set; }

    /// <summary>Volume-averaged stoichiometry of the particle.</summary>
    public double MeanStoichiometry
    {
        get
        {
            double s = 0;
            for (int k = 0; k < _x.Length; k++) s += _x[k] * _weight[k];
            return s;
        }
    }

    /// <summary>Concentration at the particle's outer shell (the surface value without the flux term), stoichiometry.</summary>
    public double OuterShellStoichiometry => _x[_x.Length - 1];

    /// <summary>Charge-based SOC: the mean stoichiometry on the window [SOC 0 = EmptyStoichiometry, SOC 1 = FullStoichiometry].</summary>
    public double Soc => (_xEmpty - MeanStoichiometry) / (_xEmpty - _xFull);

    /// <summary>OCV of the fully relaxed particle (uniform at the mean stoichiometry), mV.</summary>
    public double RelaxedOcvMillivolts => Nmc811Ocp.Volts(MeanStoichiometry) * 1000.0;

    public void Step(double currentA, double dtSeconds, double stackPressureKpa)
    {
        double t = TemperatureC;
        double d = _p.Diffusivity25M2PerS * SpmCellParameters.Arrhenius(_p.DiffusivityActivationJPerMol, t);
        double shortA = double.IsInfinity(InternalShortOhm) ? 0.0 : TerminalMillivolts / 1000.0 / InternalShortOhm;
        double reactionA = currentA + shortA;
        // Flux into the particle at its surface, in stoichiometry x metres per second.
        double flux = reactionA / (SpmCellParameters.Faraday * _interfaceM2 * _p.MaxConcentrationMolPerM3);
        int subSteps = Math.Max(1, (int)Math.Ceiling(dtSeconds / (0.25 * _dr * _dr / d)));
        double h = dtSeconds / subSteps;
        int n = _x.Length;
        for (int s = 0; s < subSteps; s++)
        {
            for (int k = 0; k < n; k++)
            {
                double change = 0;
                if (k > 0) change -= _inCoef[k] * (_x[k] - _x[k - 1]);
                if (k < n - 1) change += _outCoef[k] * (_x[k + 1] - _x[k]);
                change *= d;
                if (k == n - 1) change += _surfaceCoef * flux;
                _next[k] = _x[k] + h * change;
            }
            Array.Copy(_next, _x, n);
        }
        ThroughputAh += Math.Abs(currentA) * dtSeconds / 3600.0;

        double xs = SurfaceStoichiometry(flux, d);
        double volts = Nmc811Ocp.Volts(xs) - Overpotential(reactionA, xs, stackPressureKpa) - currentA * OhmicOhm(stackPressureKpa);
        TerminalMillivolts = volts * 1000.0;
        R0MilliOhm = SmallSignalOhm(xs, stackPressureKpa) * 1000.0;
        double ocv = Nmc811Ocp.Volts(xs);
        HeatWatts = reactionA * (ocv - volts) + (shortA == 0 ? 0 : shortA * shortA * InternalShortOhm);
    }

    /// <summary>Surface stoichiometry: the outer shell plus the flux across its half width.</summary>
    private double SurfaceStoichiometry(double flux, double diffusivity)
    {
        double xs = _x[_x.Length - 1] + flux * 0.5 * _dr / diffusivity;
        return Math.Clamp(xs, 1e-6, 1 - 1e-6);
    }

    private double OhmicOhm(double stackPressureKpa) => _p.OhmicOhm(TemperatureC, stackPressureKpa) * ResistanceScale;

    private double CathodeExchangeA(double xs) =>
        _p.CathodeExchangeCurrentAPerM2 * 2.0 * Math.Sqrt(xs * (1 - xs)) * _interfaceM2
        * SpmCellParameters.Arrhenius(_p.CathodeKineticsActivationJPerMol, TemperatureC) / ResistanceScale;

    private double AnodeExchangeA(double stackPressureKpa) =>
        _p.AnodeExchangeCurrentAPerM2 * _p.AreaM2 * _p.AnodeContactFraction(stackPressureKpa)
        * SpmCellParameters.Arrhenius(_p.AnodeKineticsActivationJPerMol, TemperatureC) / ResistanceScale;

    /// <summary>Butler-Volmer (symmetric, alpha = 0.5) overpotentials of the cathode and the Li foil, V (positive on discharge).</summary>
    private double Overpotential(double currentA, double xs, double stackPressureKpa)
    {
        double thermal = 2.0 * SpmCellParameters.GasConstant * (TemperatureC + 273.15) / SpmCellParameters.Faraday;
        return thermal * (Math.Asinh(currentA / (2.0 * CathodeExchangeA(xs))) + Math.Asinh(currentA / (2.0 * AnodeExchangeA(stackPressureKpa))));
    }

    /// <summary>Resistance at zero current seen within a tick: ohmic plus both linearised charge-transfer terms (no double layer is modelled, so they answer at once).</summary>
    private double SmallSignalOhm(double xs, double stackPressureKpa)
    {
        double thermal = SpmCellParameters.GasConstant * (TemperatureC + 273.15) / SpmCellParameters.Faraday;
        return OhmicOhm(stackPressureKpa) + thermal / CathodeExchangeA(xs) + thermal / AnodeExchangeA(stackPressureKpa);
    }

}
