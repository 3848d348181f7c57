using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Loop;
using SolidBms.Esp32.Binding;
using SolidBms.Firmware;

namespace SolidBms.DeviceTests
{
    /// <summary>
    /// The rig under test, built once from the files on I:\ exactly as the device application builds it, except
    /// that the software watchdog is replaced by a counter (a reboot in the middle of a test run would end it).
    /// </summary>
    public static class DeviceRig
    {
        private static BmsController _controller;

        public static readonly Esp32Clock Clock = new Esp32Clock();
        public static BoardConfig Board;
        public static BmsHardware Hardware;
        public static CountingWatchdog Watchdog;

        public static BmsController Controller
        {
            get
            {
                if (_controller == null) Start();
                return _controller;
            }
        }

        private static void Start()
        {
            Board = BoardConfig.Load(DeviceFiles.ReadAscii(DeviceFiles.BoardPath), "board.board");
            LimitProfile profile = LimitProfile.Load(DeviceFiles.ReadAscii(DeviceFiles.ProfilePath), "limits.profile");
            CellModel cell = CellModel.Load(KeyValueDocument.Parse(DeviceFiles.ReadAscii(DeviceFiles.CellPath), "cell.cell"));
            Esp32Rig rig = Esp32Rig.Create(Board, Clock);
            Watchdog = new CountingWatchdog();
            rig.Hardware.Watchdog = Watchdog;
            Hardware = rig.Hardware;
            _controller = BmsComposition.Build(Board, profile, cell, Hardware);
            RunTicks(20); // chips configured, first conversions in
        }

        /// <summary>Runs the loop as Program does, for n ticks.</summary>
        public static void RunTicks(int n)
        {
            var c = Controller;
            for (int done = 0; done < n;)
            {
                int waitMs = c.Timer.MillisecondsUntilDue(Clock.NowMilliseconds);
                if (waitMs > 0) System.Threading.Thread.Sleep(waitMs);
                else { c.Tick(); done++; }
            }
        }
    }

    /// <summary>Stands in for the software watchdog during device tests: counts feeds, never reboots.</summary>
    public sealed class CountingWatchdog : IWatchdog
    {
        public int Feeds;

        public void Start(int timeoutMilliseconds) { }

        public void Feed() { Feeds++; }

        public ResetCause LastResetCause { get { return ResetCause.Unknown; } }
    }
}
