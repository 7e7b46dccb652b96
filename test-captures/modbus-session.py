#!/usr/bin/env python3
"""modbus-session.py - a real pymodbus (Debian python3-pymodbus) exchange for
record-apps.sh: `server HOST PORT SECONDS` runs pymodbus's TCP server with
a data store; `client HOST PORT` reads and writes coils and registers."""
import sys


def server(host, port, secs):
    import threading
    import os
    from pymodbus.datastore import ModbusSequentialDataBlock, ModbusSlaveContext, ModbusServerContext
    from pymodbus.server import StartTcpServer
    store = ModbusSlaveContext(di=ModbusSequentialDataBlock(0, [1, 0] * 50),
                               co=ModbusSequentialDataBlock(0, [0] * 100),
                               hr=ModbusSequentialDataBlock(0, list(range(100))),
                               ir=ModbusSequentialDataBlock(0, list(range(100, 200))))
    threading.Timer(secs, lambda: os._exit(0)).start()
    StartTcpServer(context=ModbusServerContext(slaves=store, single=True), address=(host, port))


def client(host, port):
    from pymodbus.client import ModbusTcpClient
    c = ModbusTcpClient(host, port=port)
    c.connect()
    c.read_holding_registers(0, 4, slave=1)
    c.write_register(1, 42, slave=1)
    c.write_registers(10, [7, 8, 9], slave=1)
    c.read_holding_registers(0, 12, slave=1)
    c.read_input_registers(0, 3, slave=1)
    c.write_coil(3, True, slave=1)
    c.read_coils(0, 8, slave=1)
    c.read_discrete_inputs(0, 8, slave=1)
    c.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    else:
        client(sys.argv[2], int(sys.argv[3]))
