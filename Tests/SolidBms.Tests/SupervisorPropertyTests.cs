using System;
using FsCheck;
using FsCheck.Fluent;
using SolidBms.Core.Actuation;
using SolidBms.Core.Config;
using SolidBms.Core.Loop;
using SolidBms.Core.Measurement;
using SolidBms.Firmware;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>
/// Property tests over random measurement sequences (FsCheck): whatever the sensors report, including
/// NaN, infinities, every status and wild values, no exception escapes the controller, and no output is
/// ever energised while a trip is latched.
/// </summary>
public class SupervisorPropertyTests
{
    public sealed class TickInput
    {
        public float[] CellMv = Array.Empty<float>();
        public SensorStatus[] CellStatus = Array.Empty<SensorStatus>();
        public float[] TempC = Array.Empty<float>();
        public SensorStatus[] TempStatus = Array.Empty<SensorStatus>();
        public float CurrentA;
        public SensorStatus CurrentStatus;
        public float PressureKpa;
        public SensorStatus PressureStatus;
        public int AdvanceMs;
        public bool Clear;
        public override string ToString() =>
            $"mv[{string.Join(",", CellMv)}]/{string.Join(",", CellStatus)} t[{string.Join(",", TempC)}] I={CurrentA}/{CurrentStatus} P={PressureKpa}/{PressureStatus} dt={AdvanceMs} clear={Clear}";
    }

    private sealed class ScriptedSensors : IPackSensors
    {
        public TickInput Next;

        public void Acquire(PackMeasurement m, long nowMs)
        {
            var t = Next;
            for (int i = 0; i < m.CellCount; i++)
            {
                m.CellMillivolts[i] = t.CellMv[i];
                m.CellVoltageStatus[i] = t.CellStatus[i];
                m.CellTemperatureC[i] = t.TempC[i];
                m.CellTemperatureStatus[i] = t.TempStatus[i];
            }
            m.PackCurrentA = t.CurrentA;
            m.PackCurrentStatus = t.CurrentStatus;
            m.StackPressureKpa[0] = t.PressureKpa;
            m.StackPressureStatus[0] = t.PressureStatus;
        }
    }

    private static Gen<float> Value(float lo, float hi) =>
        Gen.Frequency(
            (8, Gen.Choose((int)(lo * 10), (int)(hi * 10)).Select(v => v / 10f)),
            (1, Gen.Elements(float.NaN, float.PositiveInfinity, float.NegativeInfinity, -1e9f, 1e9f, 0f)));

    private static Gen<SensorStatus> Status() =>
        Gen.Frequency((6, Gen.Constant(SensorStatus.Ok)), (1, Gen.Elements((SensorStatus[])Enum.GetValues(typeof(SensorStatus)))));

    private static Gen<TickInput> Tick(int cells) =>
        from mv in Gen.ArrayOf(Value(2500, 4600), cells)
        from ms in Gen.ArrayOf(Status(), cells)
        from tc in Gen.ArrayOf(Value(-40, 100), cells)
        from ts in Gen.ArrayOf(Status(), cells)
        from i in Value(-20, 20)
        from iS in Status()
        from p in Value(0, 3000)
        from pS in Status()
        from dt in Gen.Frequency((10, Gen.Constant(100)), (1, Gen.Choose(0, 3000)))
        from clear in Gen.Frequency((12, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new TickInput { CellMv = mv, CellStatus = ms, TempC = tc, TempStatus = ts, CurrentA = i, CurrentStatus = iS, PressureKpa = p, PressureStatus = pS, AdvanceMs = dt, Clear = clear };

    [Fact]
    public void OutputsNeverEnergisedWhileATripIsLatchedAndNoExceptionEscapes()
    {
        var board = BoardConfig.Load(Repo.Read("board/boards/devkitc-analog-2.board"), "devkit");
        var profile = Repo.AssbProfile();
        var cell = Repo.AssbCell();
        var sequences = Gen.ListOf(Tick(board.CellCount)).Select(l => l.ToArray()).ToArbitrary();
        long ticksChecked = 0;
        Prop.ForAll(sequences, seq =>
        {
            var clock = new SimClock();
            var main = new SimDigitalOutput();
            var chg = new SimDigitalOutput();
            var dis = new SimDigitalOutput();
            var alarm = new SimDigitalOutput();
            var sensors = new ScriptedSensors();
            var outputs = new OutputStage(main, null, chg, dis, alarm, new ContactorTiming { PrechargeTimeoutMs = 3000, PrechargeFixedMs = 500, PrechargeMatchPercent = 95, WeldCheckMs = 500 });
            var ctl = new BmsController(board, profile, cell, sensors, outputs, null, new SimWatchdog(clock), clock);
            foreach (var t in seq)
            {
                clock.Advance(t.AdvanceMs);
                sensors.Next = t;
                if (t.Clear) ctl.TryClearTrips();
                ctl.Tick();
                ticksChecked++;
                if (ctl.AnyTrip && (main.State || chg.State || dis.State)) return false;
                if (ctl.AnyTrip != (ctl.State == BmsState.Safe)) return false;
                if ((chg.State || dis.State) && !main.State) return false; // enables only behind a closed contactor
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
        Assert.True(ticksChecked > 5000, $"only {ticksChecked} ticks were exercised");
    }
}
